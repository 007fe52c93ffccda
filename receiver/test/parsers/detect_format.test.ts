import { describe, expect, it } from 'vitest';
import { LOG_FORMATS, createAutoParser, createParser, detectFormat, isLogFormat, UnknownLogFormatError } from '../../src/parsers/index.js';
import type { LogFormat } from '../../src/parsers/index.js';
import { fixtureLines, parseAll } from './fixture_lines.js';

const FIXTURE_FORMATS: Array<[string, LogFormat]> = [
  ['nginx_combined.log', 'combined'],
  ['apache_clf.log', 'clf'],
  ['iis_w3c.log', 'w3c'],
  ['small_sample_csv.txt', 'csv'],
  ['malformed.csv', 'csv'],
  ['sftpgo.log', 'sftpgo'],
  ['sftpgo_transfers.log', 'sftpgo'],
  ['nginx_scanners.log', 'combined'],
  ['apache_other_vhosts_access.log', 'combined'],
  ['nginx_host_combined.log', 'combined'],
  ['sftpgo_legacy.log', 'sftpgo'],
  ['iis_ftp.log', 'w3c'],
];

describe('detectFormat', () => {
  it.each(FIXTURE_FORMATS)('detects %s as %s from its first lines', (name, format) => {
    expect(detectFormat(fixtureLines(name).slice(0, 20))).toBe(format);
  });

  it('skips blank and unrecognised lines before deciding', () => {
    const lines = ['', '   ', 'nginx: [warn] something', '10.0.0.1 - - [09/May/2018:16:00:39 +0000] "GET / HTTP/1.1" 200 1'];
    expect(detectFormat(lines)).toBe('clf');
  });

  it('detects a headerless CSV file from a quoted row with a numeric date', () => {
    expect(detectFormat(['"10.0.0.2","-","apache",1549573860,"GET /api/user HTTP/1.0",200,1234'])).toBe('csv');
  });

  it('gives up on lines of no known shape', () => {
    expect(detectFormat(['hello world', '# a comment', ''])).toBeUndefined();
    expect(detectFormat([])).toBeUndefined();
  });
});

describe('auto parser', () => {
  it.each(FIXTURE_FORMATS)('parses %s exactly as the %s parser does', (name, format) => {
    const lines = fixtureLines(name);
    const auto = createAutoParser();
    expect(auto.format).toBe('auto');
    const detected = parseAll(auto, lines);
    expect(auto.format).toBe(format);
    expect(detected.results).toEqual(parseAll(createParser(format), lines).results);
  });

  it('calls lines invalid until one decides the format, and skips blank ones', () => {
    const auto = createAutoParser();
    expect(auto.parse('')).toEqual({ kind: 'skip' });
    expect(auto.parse('garbage before the log')).toEqual({ kind: 'invalid', reason: 'unknown format' });
    expect(auto.parse('#Fields: date time cs-method cs-uri-stem sc-status')).toEqual({ kind: 'skip' });
    expect(auto.format).toBe('w3c');
    expect(auto.parse('2024-09-18 00:00:01 GET /a/b 200')).toMatchObject({ kind: 'event', fields: { section: '/a' } });
  });
});

describe('createParser', () => {
  it('makes a parser of each format', () => {
    for (const format of LOG_FORMATS) expect(createParser(format).format).toBe(format);
  });

  it('names the bad value and the expected ones for an unknown format', () => {
    expect(isLogFormat('nginx')).toBe(false);
    expect(() => createParser('nginx' as LogFormat)).toThrow(UnknownLogFormatError);
    expect(() => createParser('nginx' as LogFormat)).toThrow(
      'parsers: create parser: unknown log format "nginx", expected one of clf, combined, w3c, csv, sftpgo',
    );
  });
});
