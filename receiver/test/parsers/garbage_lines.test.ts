import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/demo/index.js';
import { LOG_FORMATS, createAutoParser, createParser } from '../../src/parsers/index.js';
import type { LineParser, ParseResult } from '../../src/parsers/index.js';
import { fixtureLines } from './fixture_lines.js';

/** The demo's seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

const ALPHABET = ' -"[]/:.,{}\\#+0123456789aGET/HTTP/1.1\r\t\u00e9\u{1F600}';

function garbage(next: () => number): string {
  const length = Math.floor(next() * 120);
  let line = '';
  for (let i = 0; i < length; i++) line += ALPHABET[Math.floor(next() * ALPHABET.length)] ?? '';
  return line;
}

const VALID_LINES = [
  'nginx_combined.log',
  'apache_clf.log',
  'iis_w3c.log',
  'small_sample_csv.txt',
  'sftpgo.log',
  'sftpgo_transfers.log',
  'nginx_scanners.log',
  'apache_other_vhosts_access.log',
  'nginx_host_combined.log',
  'sftpgo_legacy.log',
  'iis_ftp.log',
].flatMap((name) => fixtureLines(name));

function expectWellFormed(result: ParseResult): void {
  if (result.kind === 'invalid') expect(result.reason).toMatch(/^[#\w -]{3,40}$/);
  if (result.kind === 'event') expect(Number.isFinite(result.fields.ts)).toBe(true);
}

function parsers(): LineParser[] {
  return [...LOG_FORMATS.map((format) => createParser(format)), createAutoParser()];
}

describe('parsers facing bad input', () => {
  it('never throw on random garbage lines', () => {
    const next = random(20240918);
    const all = parsers();
    for (let i = 0; i < 3000; i++) {
      const line = garbage(next);
      for (const parser of all) expectWellFormed(parser.parse(line));
    }
  });

  it('never throw on every truncation of the fixture lines', () => {
    const all = parsers();
    for (const line of VALID_LINES) {
      for (let cut = 0; cut < line.length; cut++) {
        const piece = line.slice(0, cut);
        for (const parser of all) expectWellFormed(parser.parse(piece));
      }
    }
  });

  it('never throw on fixture lines with one character replaced by a random one', () => {
    const next = random(7);
    const all = parsers();
    for (let i = 0; i < 3000; i++) {
      const line = VALID_LINES[Math.floor(next() * VALID_LINES.length)] ?? '';
      const at = Math.floor(next() * line.length);
      const mutated = line.slice(0, at) + (ALPHABET[Math.floor(next() * ALPHABET.length)] ?? '') + line.slice(at + 1);
      for (const parser of all) expectWellFormed(parser.parse(mutated));
    }
  });
});
