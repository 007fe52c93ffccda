import { describe, expect, it } from 'vitest';
import { createParser } from '../../src/parsers/index.js';
import { fieldsOf, fixtureLines, httpFields, parseAll } from './fixture_lines.js';

const at = (iso: string): number => Date.parse(iso);

describe('combined parser on an nginx access log', () => {
  const lines = fixtureLines('nginx_combined.log');
  const tally = parseAll(createParser('combined'), lines);

  it('counts events, skips and invalid lines exactly', () => {
    expect(tally.events).toHaveLength(12);
    expect(tally.skips).toBe(1);
    expect(tally.invalid).toEqual(['no timestamp', 'bad timestamp', 'bad status']);
  });

  it('reads referer, user agent and the request_time tail in seconds', () => {
    expect(fieldsOf(tally.results[0])).toEqual(
      httpFields({
        ts: at('2024-09-18T03:17:12Z'),
        client: '203.0.113.7',
        method: 'GET',
        path: '/pages/create',
        section: '/pages',
        status: 200,
        protocol: 'HTTP/1.1',
        bytes: 5316,
        referer: 'https://www.example.com/pages/',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
        durationMs: 5,
      }),
    );
  });

  it('reads an IPv6 client, a user and upstream tails', () => {
    expect(fieldsOf(tally.results[1])).toEqual(
      httpFields({
        ts: at('2024-09-18T03:17:12Z'),
        client: '2001:db8::1',
        user: 'alice',
        method: 'POST',
        path: '/api/login',
        section: '/api',
        status: 302,
        protocol: 'HTTP/2.0',
        userAgent: 'curl/8.5.0',
        durationMs: 123,
      }),
    );
  });

  it('takes the section of a full-URL target from its path', () => {
    const fields = fieldsOf(tally.results[2]);
    expect(fields.client).toBe('::ffff:10.0.0.1');
    expect(fields.path).toBe('http://www.example.com/pages/list?page=2');
    expect(fields.section).toBe('/pages');
    expect(fields.durationMs).toBe(0);
  });

  it('keeps escaped quotes of the request as logged and unescapes them in the user agent', () => {
    const fields = fieldsOf(tally.results[3]);
    expect(fields.path).toBe('/search?q=\\"quoted\\"');
    expect(fields.section).toBe('/search');
    expect(fields.userAgent).toBe('Mozilla/5.0 (compatible; "Bot"/1.0)');
    expect(fields.durationMs).toBe(10);
  });

  it('reads "-" bytes as 0 and a CRLF line without its carriage return', () => {
    expect(fieldsOf(tally.results[4])).toMatchObject({ method: 'HEAD', status: 304, bytes: 0 });
    expect(fieldsOf(tally.results[5])).toMatchObject({ path: '/', section: '/', userAgent: 'Wget/1.21.4', bytes: 612 });
  });

  it('accepts OPTIONS * with an rt= tail and an HTTP/0.9 request without protocol', () => {
    expect(fieldsOf(tally.results[13])).toMatchObject({ method: 'OPTIONS', path: '*', section: '(no path)', durationMs: 2 });
    expect(fieldsOf(tally.results[14])).toMatchObject({ method: 'GET', path: '/', section: '/', protocol: '' });
  });
});

describe('combined parser on single lines', () => {
  it('honours an escaped backslash before a closing quote', () => {
    const line = '10.0.0.1 - - [18/Sep/2024:03:17:12 +0000] "GET /a HTTP/1.1" 200 1 "-" "agent\\\\" 0.250';
    expect(fieldsOf(createParser('combined').parse(line))).toMatchObject({ userAgent: 'agent\\', durationMs: 250 });
  });

  it('reads a CLF line inside a combined file, with empty referer and user agent', () => {
    const line = '10.0.0.1 - - [18/Sep/2024:03:17:12 +0000] "GET /a HTTP/1.1" 200 1';
    expect(fieldsOf(createParser('combined').parse(line))).toEqual(
      httpFields({ ts: at('2024-09-18T03:17:12Z'), client: '10.0.0.1', method: 'GET', path: '/a', section: '/a', status: 200, protocol: 'HTTP/1.1', bytes: 1 }),
    );
  });

  it('gives each line its own time when the second changes', () => {
    const parser = createParser('combined');
    const line = (second: string): string => `10.0.0.1 - - [18/Sep/2024:03:17:${second} +0000] "GET /a HTTP/1.1" 200 1 "-" "-"`;
    expect(fieldsOf(parser.parse(line('12'))).ts).toBe(at('2024-09-18T03:17:12Z'));
    expect(fieldsOf(parser.parse(line('12'))).ts).toBe(at('2024-09-18T03:17:12Z'));
    expect(fieldsOf(parser.parse(line('13'))).ts).toBe(at('2024-09-18T03:17:13Z'));
    expect(parser.parse(line('61'))).toEqual({ kind: 'invalid', reason: 'bad timestamp' });
    expect(fieldsOf(parser.parse(line('13'))).ts).toBe(at('2024-09-18T03:17:13Z'));
  });

  it('reuses the last timestamp only where it sits in the line, and not across a zone change', () => {
    const parser = createParser('combined');
    const stamp = '[18/Sep/2024:03:17:12 +0000]';
    expect(fieldsOf(parser.parse(`10.0.0.1 - - ${stamp} "GET /a HTTP/1.1" 200 1 "-" "-"`)).ts).toBe(at('2024-09-18T03:17:12Z'));
    expect(fieldsOf(parser.parse(`2001:db8::1 - alice ${stamp} "GET /a HTTP/1.1" 200 1 "-" "-"`)).ts).toBe(at('2024-09-18T03:17:12Z'));
    expect(fieldsOf(parser.parse('10.0.0.1 - - [18/Sep/2024:03:17:12 +0200] "GET /a HTTP/1.1" 200 1 "-" "-"')).ts).toBe(at('2024-09-18T01:17:12Z'));
    expect(parser.parse(`10.0.0.1 - - [18/Sep/2024:03:17:12 +0200 ] "GET /a HTTP/1.1" 200 1 "-" "${stamp}"`)).toEqual({
      kind: 'invalid',
      reason: 'bad timestamp',
    });
  });

  it('reads an HTTP/2.0 request and takes the section of a path from the line', () => {
    const parser = createParser('combined');
    const fields = fieldsOf(parser.parse('10.0.0.1 - - [18/Sep/2024:03:17:12 +0000] "GET /api/v1/orders?limit=5 HTTP/2.0" 200 1 "-" "-"'));
    expect(fields).toMatchObject({ method: 'GET', path: '/api/v1/orders?limit=5', section: '/api', protocol: 'HTTP/2.0' });
    const single = fieldsOf(parser.parse('10.0.0.1 - - [18/Sep/2024:03:17:12 +0000] "DELETE /login?next=/a HTTP/1.0" 204 - "-" "-"'));
    expect(single).toMatchObject({ method: 'DELETE', path: '/login?next=/a', section: '/login', protocol: 'HTTP/1.0', bytes: 0 });
  });
});

describe('positions of path, referer and user agent in the line', () => {
  /** Each position the parser gives must be where its value is, verbatim, in the line. */
  function expectPositionsHold(lines: readonly string[], format: 'combined' | 'clf'): number {
    const parser = createParser(format);
    let given = 0;
    for (const line of lines) {
      const result = parser.parse(line);
      if (result.kind !== 'event') continue;
      const e = result.fields;
      for (const [value, at] of [[e.path, e.pathAt], [e.referer, e.refererAt], [e.userAgent, e.userAgentAt]] as const) {
        if (at === undefined || at < 0) continue;
        given++;
        expect(line.slice(at, at + value.length), line).toBe(value);
      }
    }
    return given;
  }

  it('points at the values as logged, and at none that escapes or "-" changed', () => {
    const lines = [
      ...fixtureLines('nginx_combined.log'),
      '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET /a/b?q=1 HTTP/1.1" 200 5 "https://ref.example/" "UA/1.0 (x)"',
      '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "PATCH /odd path HTTP/1.1" 200 5 "-" "say \\"hi\\""',
      '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET http://h.example/x/y HTTP/2.0" 200 5 "r\\\\s" "-" 0.012',
    ];
    expect(expectPositionsHold(lines, 'combined')).toBeGreaterThanOrEqual(lines.length);
    const plainLine = lines[lines.length - 3] as string;
    const plain = createParser('combined').parse(plainLine);
    expect(plain.kind === 'event' && [plain.fields.pathAt, plain.fields.refererAt, plain.fields.userAgentAt]).toEqual([
      plainLine.indexOf('/a/b'), plainLine.indexOf('https://'), plainLine.indexOf('UA/1.0'),
    ]);
    const escaped = createParser('combined').parse(lines[lines.length - 2] as string);
    expect(escaped.kind === 'event' && [escaped.fields.refererAt, escaped.fields.userAgentAt]).toEqual([-1, -1]);
  });

  it('holds for common-format lines too', () => {
    expect(expectPositionsHold(fixtureLines('apache_clf.log'), 'clf')).toBeGreaterThan(0);
  });
});
