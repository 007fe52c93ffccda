import { Prng } from '../../src/demo/index.js';

/**
 * A seeded access log with every class of line real servers write: ordinary requests, and the
 * request fields of scanners and broken clients (`"-"` 408, `""` 400, TLS handshake bytes as nginx
 * escapes them, `MGLNDD_...`, `CONNECT host:443`, `GET stager`, `PRI *`, a bare `GET /`, targets
 * with spaces, a user agent cut off at the end of the line). `extra` adds the classes on which
 * GoAccess disagrees by design (see goaccess_differential.test.ts).
 */
export interface GeneratedLog {
  lines: string[];
  /** Lines of the classes on which GoAccess disagrees by design, counted by class. */
  clfLines: number;
  noStatusLines: number;
  /** Per line: 'clf' or 'no-status' for those two classes, '' for the others. */
  classes: Array<'' | 'clf' | 'no-status'>;
}

const CLIENTS = [
  '203.0.113.7', '203.0.113.8', '198.51.100.23', '198.51.100.24', '192.0.2.60', '192.0.2.61', '45.148.10.81', '167.94.138.44',
  '185.191.127.212', '194.165.16.73', '64.62.197.152', '2001:db8::1', '2001:db8:4::1', '::ffff:10.0.0.1', '10.20.30.40',
];
const VHOSTS = ['www.example.org:443', 'www.example.org:80', 'blog.example.org:443', 'api.example.org:443', '127.0.1.1:80'];
const PATHS = ['/', '/index.html', '/pages/create', '/pages/list?page=2', '/api/v1/orders', '/static/app.js', '/wp-login.php', '/.env', '/search?q=a%20b'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', 'curl/8.5.0', 'Go-http-client/1.1', '-', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'];
const STATUSES = [200, 200, 200, 200, 304, 301, 404, 403, 500, 502, 206];
const MONTH = 'Mar';

function pick<T>(prng: Prng, values: readonly T[]): T {
  return values[prng.int(values.length)] as T;
}

/** The request field, status and bytes of a line of class `kind` (0-9 junk classes, else an ordinary request). */
function request(prng: Prng, kind: number): [string, number, number] {
  switch (kind) {
    case 0: return ['-', 408, 0];
    case 1: return ['', 400, 0];
    case 2: return ['\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\\xB6\\x8D', 400, 157];
    case 3: return [`MGLNDD_203.0.113.${prng.between(1, 254)}_443`, 400, 157];
    case 4: return ['CONNECT www.example.com:443 HTTP/1.1', 400, 157];
    case 5: return ['GET stager HTTP/1.1', 400, 157];
    case 6: return ['PRI * HTTP/2.0', 400, 157];
    case 7: return ['GET /', 200, 612];
    case 8: return ['GET /cgi-bin/../../etc/passwd with spaces HTTP/1.1', 400, 157];
    default: {
      const method = prng.next() < 0.8 ? 'GET' : prng.next() < 0.5 ? 'POST' : 'HEAD';
      const status = pick(prng, STATUSES);
      return [`${method} ${pick(prng, PATHS)} HTTP/${prng.next() < 0.7 ? '1.1' : '2.0'}`, status, status === 304 ? 0 : prng.between(0, 50_000)];
    }
  }
}

export function generateAccessLog(seed: number, count: number, options: { vhost: boolean; extra: boolean }): GeneratedLog {
  const prng = new Prng(seed);
  const lines: string[] = [];
  let clfLines = 0;
  let noStatusLines = 0;
  const classes: GeneratedLog['classes'] = [];
  for (let i = 0; i < count; i++) {
    const second = i % 60;
    const minute = Math.floor(i / 60) % 60;
    const time = `[06/${MONTH}/2024:${String(8 + Math.floor(i / 3600)).padStart(2, '0')}:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')} +0000]`;
    const prefix = `${options.vhost ? `${pick(prng, VHOSTS)} ` : ''}${pick(prng, CLIENTS)} - ${prng.next() < 0.1 ? 'alice' : '-'} ${time}`;
    const [req, status, bytes] = request(prng, prng.int(30));
    const referer = prng.next() < 0.3 ? 'https://www.example.org/' : '-';
    const agent = pick(prng, AGENTS);
    const roll = prng.next();
    if (options.extra && roll < 0.03) {
      clfLines++;
      classes.push('clf');
      lines.push(`${prefix} "${req}" ${status} ${bytes}`);
    } else if (options.extra && roll < 0.04) {
      noStatusLines++;
      classes.push('no-status');
      lines.push(`${prefix} "${req}"`);
    } else if (roll < 0.06) {
      classes.push('');
      // The writer stopped in the middle of the user agent.
      lines.push(`${prefix} "${req}" ${status} ${bytes} "${referer}" "${agent.slice(0, 12)}`);
    } else {
      classes.push('');
      lines.push(`${prefix} "${req}" ${status} ${bytes} "${referer}" "${agent}"`);
    }
  }
  return { lines, clfLines, noStatusLines, classes };
}
