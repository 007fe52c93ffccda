import { describe, expect, it } from 'vitest';
import { createAutoParser, createParser } from '../../src/parsers/index.js';
import { fixtureLines, httpFields, parseAll, transferFields } from './fixture_lines.js';

const at = (iso: string): number => Date.parse(iso);
const NO_PATH = '(no path)';

describe('an internet-facing nginx log: scanner lines, junk requests, CLF lines and cut-off fields', () => {
  const lines = fixtureLines('nginx_scanners.log');
  const tally = parseAll(createAutoParser(), lines);
  const junk = (second: number, client: string, status: number, bytes: number) =>
    httpFields({ ts: at(`2024-03-06T08:00:0${second}Z`), client, section: NO_PATH, status, bytes });

  it('stores every line the server answered, with method, path and protocol only when readable', () => {
    expect(tally.events).toEqual([
      httpFields({
        ts: at('2024-03-06T08:00:00Z'), client: '203.0.113.7', method: 'GET', path: '/index.html', section: '/index.html', status: 200,
        protocol: 'HTTP/1.1', bytes: 612, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
      }),
      junk(1, '198.51.100.23', 408, 0),
      junk(2, '198.51.100.24', 400, 0),
      junk(3, '45.148.10.81', 400, 157),
      junk(4, '167.94.138.44', 400, 157),
      httpFields({
        ts: at('2024-03-06T08:00:05Z'), client: '185.191.127.212', method: 'CONNECT', path: 'www.example.com:443', section: NO_PATH, status: 400,
        protocol: 'HTTP/1.1', bytes: 157, userAgent: 'Go-http-client/1.1',
      }),
      httpFields({ ts: at('2024-03-06T08:00:06Z'), client: '194.165.16.73', method: 'GET', path: 'stager', section: NO_PATH, status: 400, protocol: 'HTTP/1.1', bytes: 157 }),
      httpFields({ ts: at('2024-03-06T08:00:07Z'), client: '64.62.197.152', method: 'PRI', path: '*', section: NO_PATH, status: 400, protocol: 'HTTP/2.0', bytes: 157 }),
      httpFields({ ts: at('2024-03-06T08:00:08Z'), client: '2001:db8:4::1', method: 'GET', path: '/', section: '/', status: 200, bytes: 612 }),
      httpFields({
        ts: at('2024-03-06T08:00:09Z'), client: '192.0.2.60', method: 'GET', path: '/cgi-bin/../../etc/passwd with spaces', section: '/cgi-bin',
        status: 400, protocol: 'HTTP/1.1', bytes: 157, userAgent: '() { :; }; echo; /bin/bash -c \\x22id\\x22',
      }),
      httpFields({ ts: at('2024-03-06T08:00:10Z'), client: '192.0.2.61', user: 'alice', method: 'POST', path: '/api/upload', section: '/api', status: 201, protocol: 'HTTP/1.1', bytes: 52 }),
      httpFields({
        ts: at('2024-03-06T08:00:11Z'), client: '192.0.2.62', method: 'GET', path: '/pages/list', section: '/pages', status: 200, protocol: 'HTTP/1.1',
        bytes: 1024, referer: 'https://www.example.com/', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x',
      }),
      httpFields({
        ts: at('2024-03-06T08:00:12Z'), client: '192.0.2.63', method: 'GET', path: '/pages/list', section: '/pages', status: 200, protocol: 'HTTP/1.1',
        bytes: 1024, referer: 'https://www.exa',
      }),
      httpFields({
        ts: at('2024-03-06T08:00:15Z'), client: '192.0.2.66', method: 'GET', path: '/pages/list', section: '/pages', status: 200, protocol: 'HTTP/1.1',
        bytes: 1024, referer: 'https://www.example.com/', userAgent: 'curl/8.5.0',
      }),
    ]);
  });

  it('calls invalid only lines missing a field up to the bytes, and says which', () => {
    expect(tally.invalid).toEqual(['no status', 'no bytes']);
    expect(tally.skips).toBe(0);
  });

  it('reads the same lines alike when the format is forced, CLF ignoring referer and user agent', () => {
    expect(parseAll(createParser('combined'), lines).results).toEqual(tally.results);
    const clf = parseAll(createParser('clf'), lines);
    expect(clf.invalid).toEqual(['no status', 'no bytes']);
    expect(clf.events.map((e) => [e.client, e.section, e.status, e.bytes, e.userAgent])).toEqual(
      tally.events.map((e) => [e.client, e.section, e.status, e.bytes, '']),
    );
  });

  it('keeps the raw line of a junk request', () => {
    const result = createParser('combined').parse(lines[3] ?? '');
    expect(result.kind === 'event' && [result.fields.raw, result.fields.pathAt]).toEqual([lines[3], -1]);
  });
});

describe('vhost_combined from Debian Apache (other_vhosts_access.log)', () => {
  const tally = parseAll(createAutoParser(), fixtureLines('apache_other_vhosts_access.log'));
  const ts = (second: number): number => at(`2024-03-06T07:00:0${second}Z`);

  it('takes the virtual host from the first field, without its port, and the client from the second', () => {
    expect(tally.invalid).toEqual([]);
    expect(tally.events).toEqual([
      httpFields({
        ts: ts(0), vhost: 'www.example.org', client: '203.0.113.5', method: 'GET', path: '/', section: '/', status: 200, protocol: 'HTTP/1.1', bytes: 3380,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
      }),
      httpFields({
        ts: ts(1), vhost: 'www.example.org', client: '2001:db8::5', user: 'bob', method: 'GET', path: '/wiki/Main_Page', section: '/wiki', status: 200,
        protocol: 'HTTP/2.0', bytes: 15234, referer: 'https://www.example.org/', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
      }),
      httpFields({
        ts: ts(2), vhost: 'blog.example.org', client: '198.51.100.7', method: 'GET', path: '/feed/', section: '/feed', status: 301, protocol: 'HTTP/1.1',
        bytes: 571, userAgent: 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers)',
      }),
      httpFields({ ts: ts(3), vhost: '127.0.1.1', client: '192.0.2.9', section: NO_PATH, status: 408 }),
      httpFields({
        ts: ts(4), vhost: 'blog.example.org', client: 'crawl-66-249-66-1.googlebot.com', method: 'GET', path: '/robots.txt', section: '/robots.txt',
        status: 200, protocol: 'HTTP/1.1', bytes: 67, userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      }),
      httpFields({ ts: ts(5), vhost: 'www.example.org', client: '203.0.113.5', method: 'GET', path: '/favicon.ico', section: '/favicon.ico', status: 404, protocol: 'HTTP/1.1', bytes: 437 }),
    ]);
  });

  it('never stores a name:port first field as the client, whatever follows it', () => {
    const line = 'www.example.org:443 - - [06/Mar/2024:08:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"';
    expect(parseAll(createParser('combined'), [line]).events[0]).toMatchObject({ vhost: 'www.example.org', client: '' });
  });
});

describe("nginx logs with $host first", () => {
  it('takes the host as vhost when an IP address follows it, and keeps plain lines plain', () => {
    const tally = parseAll(createAutoParser(), fixtureLines('nginx_host_combined.log'));
    expect(tally.invalid).toEqual([]);
    expect(tally.events).toEqual([
      httpFields({
        ts: at('2024-03-06T08:00:00Z'), vhost: 'shop.example.com', client: '203.0.113.80', method: 'GET', path: '/products/42', section: '/products',
        status: 200, protocol: 'HTTP/2.0', bytes: 8210, referer: 'https://shop.example.com/', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X)', durationMs: 12,
      }),
      httpFields({
        ts: at('2024-03-06T08:00:01Z'), vhost: 'api.example.com', client: '2001:db8::80', user: 'carol', method: 'POST', path: '/v1/orders', section: '/v1',
        status: 201, protocol: 'HTTP/1.1', bytes: 98, userAgent: 'okhttp/4.12.0', durationMs: 230,
      }),
      httpFields({ ts: at('2024-03-06T08:00:02Z'), vhost: '_', client: '45.148.10.81', section: NO_PATH, status: 400, bytes: 157, durationMs: 1 }),
      httpFields({
        ts: at('2024-03-06T08:00:03Z'), vhost: '203.0.113.1', client: '192.0.2.99', method: 'GET', path: '/.env', section: '/.env', status: 404,
        protocol: 'HTTP/1.1', bytes: 153, userAgent: 'Mozilla/5.0 zgrab/0.x',
      }),
    ]);
    const plain = ['10.0.0.1 - - [06/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 1', 'example.net - bob smith [06/Mar/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 1'];
    expect(parseAll(createParser('clf'), plain).events.map((e) => [e.vhost, e.client, e.user])).toEqual([['', '10.0.0.1', ''], ['', 'example.net', 'bob smith']]);
  });
});

describe('error logs', () => {
  it.each([
    ['nginx_error.log', 'nginx error log, not an access or transfer log', 4],
    ['apache_error.log', 'Apache error log, not an access or transfer log', 3],
  ])('gives up %s as a whole: no event, no invalid line', (name, reason, lines) => {
    const parser = createAutoParser();
    const tally = parseAll(parser, fixtureLines(name));
    expect([tally.events.length, tally.invalid.length, tally.skips]).toEqual([0, 0, lines]);
    expect(parser.skipReason).toBe(reason);
  });
});

describe('SFTPGo before November 2019', () => {
  it('reads the legacy time layout 2019-10-29T19:54.44.096', () => {
    const tally = parseAll(createAutoParser(), fixtureLines('sftpgo_legacy.log'));
    expect(tally.events).toEqual([
      transferFields({
        ts: at('2019-10-29T19:54:44.096Z'), user: 'backups', path: '/srv/sftpgo/backups/db.sql.gz', protocol: 'SFTP', bytes: 10485760, direction: 'upload', durationMs: 1523,
      }),
      transferFields({
        ts: at('2019-10-29T19:55:01.500Z'), user: 'backups', path: '/srv/sftpgo/backups/manifest.txt', protocol: 'SCP', bytes: 2048, direction: 'download', durationMs: 12,
      }),
    ]);
    expect(tally.skips).toBe(1);
    expect(tally.invalid).toEqual(['bad timestamp']);
  });
});

describe("IIS's FTP service log", () => {
  it('reads RETR as a download and STOR and APPE as uploads, and skips the other commands and refused ones', () => {
    const parser = createAutoParser();
    const tally = parseAll(parser, fixtureLines('iis_ftp.log'));
    expect(parser.format).toBe('w3c');
    expect(tally.invalid).toEqual([]);
    expect(tally.skips).toBe(15);
    const alice = { client: '192.0.2.40', user: 'CONTOSO\\alice', protocol: 'FTP' };
    const bob = { client: '2001:db8::41', user: 'bob', protocol: 'FTP' };
    expect(tally.events).toEqual([
      transferFields({ ...alice, ts: at('2024-03-06T08:00:02Z'), path: '/reports/q1.pdf', direction: 'download' }),
      transferFields({ ...alice, ts: at('2024-03-06T08:00:03Z'), path: '/reports/upload.zip', direction: 'upload' }),
      transferFields({ ...bob, ts: at('2024-03-06T09:00:01Z'), path: '/pub/setup.exe', bytes: 52428800, direction: 'download', durationMs: 8123 }),
      transferFields({ ...bob, ts: at('2024-03-06T09:00:02Z'), path: '/pub/log.txt', bytes: 4096, direction: 'upload', durationMs: 15 }),
    ]);
  });

  it('fills vhost of IIS web lines from cs-host, else s-sitename', () => {
    const parser = createParser('w3c');
    parser.parse('#Fields: date time s-sitename cs-method cs-uri-stem c-ip sc-status sc-bytes cs-host');
    expect(parseAll(parser, ['2024-03-06 08:00:00 W3SVC1 GET /a/b 192.0.2.1 200 10 www.example.com:8080']).events[0]).toMatchObject({ vhost: 'www.example.com', section: '/a' });
    parser.parse('#Fields: date time s-sitename cs-method cs-uri-stem c-ip sc-status sc-bytes');
    expect(parseAll(parser, ['2024-03-06 08:00:00 W3SVC1 GET /a/b 192.0.2.1 200 10']).events[0]).toMatchObject({ vhost: 'W3SVC1' });
  });
});
