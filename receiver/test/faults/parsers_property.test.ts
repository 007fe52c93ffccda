import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAutoParser, createParser, NO_PATH_SECTION, type LineParser, type ParseResult } from '../../src/parsers/index.js';

/**
 * Scenario e, the parsers: hostile input as property tests. Whatever a line holds (random text,
 * control bytes, a real line of any format cut or edited at random places), every parser answers
 * with an event, a skip or an invalid result, never throws, and an event's fields are sane. The
 * real-looking lines come from the parser fixtures: clf, combined, vhost_combined, W3C (IIS),
 * CSV, SFTPGo (both time formats) and IIS FTP.
 */

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'parsers');
const fixture = (name: string): string[] => readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter((l) => l !== '');

/** A parser for each format, and a file of its lines (headers included, for W3C and CSV). */
const FORMATS: ReadonlyArray<{ name: string; make: () => LineParser; lines: string[] }> = [
  { name: 'clf', make: () => createParser('clf'), lines: fixture('apache_clf.log') },
  { name: 'combined', make: () => createParser('combined'), lines: [...fixture('nginx_combined.log'), ...fixture('nginx_scanners.log'), ...fixture('nginx_tls_handshake_first.log')] },
  { name: 'vhost', make: () => createParser('combined'), lines: [...fixture('apache_other_vhosts_access.log'), ...fixture('nginx_host_combined.log')] },
  { name: 'w3c', make: () => createParser('w3c'), lines: fixture('iis_w3c.log') },
  { name: 'iis ftp', make: () => createParser('w3c'), lines: fixture('iis_ftp.log') },
  { name: 'csv', make: () => createParser('csv'), lines: [...fixture('small_sample_csv.txt'), ...fixture('malformed.csv')] },
  { name: 'sftpgo', make: () => createParser('sftpgo'), lines: [...fixture('sftpgo.log'), ...fixture('sftpgo_legacy.log'), ...fixture('sftpgo_transfers.log')] },
  { name: 'auto', make: () => createAutoParser(), lines: [...fixture('nginx_combined.log'), ...fixture('sftpgo.log'), ...fixture('nginx_error.log')] },
];

const RUNS = Number(process.env['LOGPULSE_FAULTS_PROPERTY_RUNS'] ?? 2_000);

/** Checks one result; returns it for further checks. */
function expectSane(result: ParseResult, line: string): ParseResult {
  expect(['event', 'skip', 'invalid']).toContain(result.kind);
  if (result.kind === 'invalid') {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
    // Reasons are a fixed set: no line content in them (a line would flood the reasons' map).
    expect(result.reason.length).toBeLessThan(120);
  }
  if (result.kind !== 'event') return result;
  const e = result.fields;
  const where = JSON.stringify(line);
  expect(['http', 'transfer'], where).toContain(e.kind);
  expect(Number.isFinite(e.ts), where).toBe(true);
  expect(Number.isInteger(e.status) && e.status >= 0 && e.status <= 999, `status ${e.status} of ${where}`).toBe(true);
  expect(Number.isSafeInteger(e.bytes) && e.bytes >= 0, `bytes ${e.bytes} of ${where}`).toBe(true);
  expect(Number.isFinite(e.durationMs) && e.durationMs >= 0, `duration ${e.durationMs} of ${where}`).toBe(true);
  expect(['', 'upload', 'download'], where).toContain(e.direction);
  for (const key of ['vhost', 'client', 'user', 'method', 'path', 'section', 'protocol', 'referer', 'userAgent'] as const) {
    expect(typeof e[key], `${key} of ${where}`).toBe('string');
  }
  expect(e.section === '' || e.section === NO_PATH_SECTION || e.section.startsWith('/'), `section ${JSON.stringify(e.section)} of ${where}`).toBe(true);
  expect(e.section.includes('?'), `section ${JSON.stringify(e.section)} of ${where}`).toBe(false);
  expect(e.raw).toBe(line);
  return result;
}

/** One hostile edit of a real line: cut, insert, delete or replace at a random place. */
const edited = (lines: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...lines),
      fc.array(
        fc.tuple(fc.nat(), fc.nat(40), fc.string({ unit: fc.constantFrom('"', '[', ']', ' ', '\t', '\r', '\0', '\\', '-', ':', '/', '{', '}', ',', 'x', '9', 'é', '\u{1F600}', '\uFFFF', '\uD800') , maxLength: 6 })),
        { maxLength: 4 },
      ),
    )
    .map(([line, edits]) => {
      let out = line;
      for (const [at, remove, insert] of edits) {
        const i = at % (out.length + 1);
        out = out.slice(0, i) + insert + out.slice(i + remove);
      }
      return out;
    });

/** Lines with no resemblance to any log: any code points, control bytes, huge numbers. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('"', ' ', '[', ']', '-', '9', '0', '/', ':', '+', '.', '{', '}', ',', '\\'), maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
);

describe('fault: hostile lines into every parser', () => {
  for (const format of FORMATS) {
    it(`${format.name}: never throws, answers event/skip/invalid, events are sane`, () => {
      // The header lines first (W3C #Fields, the CSV header), so that later lines meet a parser with a header.
      const warm = (parser: LineParser): LineParser => {
        for (const line of format.lines.slice(0, 8)) expectSane(parser.parse(line), line);
        return parser;
      };
      const longLived = warm(format.make());
      fc.assert(
        fc.property(fc.oneof(edited(format.lines), anyText), (line) => {
          expectSane(longLived.parse(line), line);
          expectSane(warm(format.make()).parse(line), line);
        }),
        { numRuns: RUNS },
      );
      // The unedited lines are still read after all that: a parser's state survives hostile input.
      const events = format.lines.map((line) => longLived.parse(line)).filter((r) => r.kind === 'event').length;
      const fresh = warm(format.make());
      const eventsFresh = format.lines.map((line) => fresh.parse(line)).filter((r) => r.kind === 'event').length;
      expect(events).toBe(eventsFresh);
    });
  }

  it('combined: a well-formed line with any path, status and size reads back those fields', () => {
    const parser = createParser('combined');
    const pathChar = fc.constantFrom(...'abcxyz019/._-~%?=&'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: pathChar, maxLength: 60 }), fc.integer({ min: 100, max: 599 }), fc.nat(), (tail, status, bytes) => {
        const path = `/${tail}`;
        const line = `203.0.113.9 - alice [02/Dec/2026:06:50:00 +0000] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "curl/8.11.1"`;
        const result = expectSane(parser.parse(line), line);
        expect(result.kind).toBe('event');
        if (result.kind !== 'event') return;
        expect({ path: result.fields.path, status: result.fields.status, bytes: result.fields.bytes, user: result.fields.user }).toEqual({ path, status, bytes, user: 'alice' });
        expect(result.fields.ts).toBe(Date.UTC(2026, 11, 2, 6, 50, 0));
      }),
      { numRuns: RUNS },
    );
  });
});
