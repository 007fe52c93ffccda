import { describe, expect, it } from 'vitest';
import { classifyLine, createAutoParser, createParser } from '../../src/parsers/index.js';
import { fixtureLines, httpFields, parseAll } from './fixture_lines.js';

/**
 * A TLS ClientHello sent to a plain HTTP port: nginx answers 400 and logs the bytes it read as the
 * request, escaped (`\x16\x03\x01...`, a quote as `\x22`, a backslash as `\x5C`). When such a line
 * opens a file, it is also the line that decides the file's format.
 */
const lines = fixtureLines('nginx_tls_handshake_first.log');
const at = (second: number): number => Date.UTC(2026, 10, 22, 10, 0, second);
const handshake = (second: number, client: string) => httpFields({ ts: at(second), client, section: '(no path)', status: 400, bytes: 157 });
const expected = [
  handshake(0, '203.0.113.9'),
  httpFields({
    ts: at(1), client: '192.0.2.10', method: 'GET', path: '/pages/list', section: '/pages', status: 200, protocol: 'HTTP/1.1', bytes: 1024,
    referer: 'https://www.example.com/', userAgent: 'curl/8.5.0',
  }),
  handshake(2, '198.51.100.77'),
  handshake(3, '203.0.113.9'),
];

describe('a TLS handshake logged as the request', () => {
  it('is an event when it is the first line of a file, the line that detects the format', () => {
    expect(classifyLine(lines[0] ?? '')).toBe('combined');
    const parser = createAutoParser();
    const tally = parseAll(parser, lines);
    expect(parser.format).toBe('combined');
    expect(tally.invalid).toEqual([]);
    expect(tally.events).toEqual(expected);
  });

  it('is an event later in a file, after a line with a request detected the format', () => {
    const parser = createAutoParser();
    const tally = parseAll(parser, [lines[1] ?? '', lines[0] ?? '', lines[2] ?? '']);
    expect(parser.format).toBe('combined');
    expect(tally.invalid).toEqual([]);
    expect(tally.events).toEqual([expected[1], expected[0], expected[2]]);
  });

  it('is an event first in a CLF file and first in a vhost_combined file', () => {
    const clf = (lines[0] ?? '').replace(' "-" "-"', '');
    const clfParser = createAutoParser();
    expect(parseAll(clfParser, [clf]).events).toEqual([expected[0]]);
    expect(clfParser.format).toBe('clf');

    const vhost = parseAll(createAutoParser(), [`www.example.org:443 ${lines[0] ?? ''}`, `www.example.org:443 ${lines[1] ?? ''}`]);
    expect(vhost.invalid).toEqual([]);
    expect(vhost.events).toEqual([{ ...expected[0], vhost: 'www.example.org' }, { ...expected[1], vhost: 'www.example.org' }]);
  });

  it('reads alike with the format forced', () => {
    expect(parseAll(createParser('combined'), lines).events).toEqual(expected);
  });
});
