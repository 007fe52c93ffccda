import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawLine } from '../../src/model/line_batch.js';
import { LineSplitter } from '../../src/sources/line_splitter.js';

/**
 * Scenario e, the line splitter: whatever the bytes (multi-byte UTF-8, CRLF, lone CRs, empty
 * lines, no final newline) and however they fall into chunks, the lines and their offsets give
 * back the input: each line is the bytes from its offset to the next `\n` (less a `\r` before
 * it, or ending the unterminated rest), the offsets follow each other without gap or overlap, and the lines do not depend on the
 * chunking. Too-long lines keep exact offsets and are cut on a character boundary.
 */

const RUNS = Number(process.env['LOGPULSE_FAULTS_PROPERTY_RUNS'] ?? 2_000);

/** Text of lines joined by LF or CRLF, with some lone CRs and empty lines, maybe unterminated. */
const logText = fc
  .array(
    fc.tuple(
      fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', '"', '\r', '\t', 'é', '€', '\u{1F600}', '\0'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 80 }),
      fc.constantFrom('\n', '\r\n', ''),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.map(([text, end]) => text + end).join(''));

/** Cut points of a buffer of `length` bytes: any bytes, multi-byte characters split included. */
const cutsFor = (length: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 }).map((a) => a.filter((n) => n < length).sort((x, y) => x - y));

function split(input: Buffer, cuts: number[], maxLineBytes: number, startOffset = 0): { lines: RawLine[]; rest: RawLine | undefined; end: number } {
  const splitter = new LineSplitter(startOffset, maxLineBytes);
  const lines: RawLine[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    splitter.push(input.subarray(from, cut), lines);
    from = cut;
  }
  const end = splitter.lineEnd;
  return { lines, rest: splitter.flushPartial(), end };
}

describe('fault: the line splitter under any bytes and any chunking', () => {
  it('gives lines whose offsets and texts rebuild the input, whatever the chunks', () => {
    fc.assert(
      fc.property(
        logText.chain((text) => fc.tuple(fc.constant(Buffer.from(text, 'utf8')), cutsFor(Buffer.byteLength(text)), fc.nat(1_000_000))),
        ([input, cuts, startOffset]) => {
          const { lines, rest, end } = split(input, cuts, 1 << 20, startOffset);
          const whole = split(input, [], 1 << 20, startOffset);
          expect(lines).toEqual(whole.lines);
          let at = startOffset;
          for (const line of [...lines, ...(rest ? [rest] : [])]) {
            expect(line.offset).toBe(at);
            const nl = input.indexOf(0x0a, line.offset - startOffset);
            const stop = nl === -1 ? input.length : nl;
            let body = input.subarray(line.offset - startOffset, stop);
            // A CR before the LF is dropped; so is one ending the unterminated rest (a CRLF cut short).
            if (body.at(-1) === 0x0d) body = body.subarray(0, -1);
            expect(line.text).toBe(body.toString('utf8'));
            expect(line.truncated).toBeUndefined();
            at = (nl === -1 ? input.length : nl + 1) + startOffset;
          }
          expect(at).toBe(input.length + startOffset);
          const lastNl = input.lastIndexOf(0x0a);
          expect(end).toBe(startOffset + lastNl + 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('cuts too-long lines on a character boundary and keeps every offset exact', () => {
    fc.assert(
      fc.property(
        logText.chain((text) => fc.tuple(fc.constant(Buffer.from(text, 'utf8')), cutsFor(Buffer.byteLength(text)), fc.integer({ min: 1, max: 24 }))),
        ([input, cuts, maxLineBytes]) => {
          const { lines, rest } = split(input, cuts, maxLineBytes);
          expect(lines).toEqual(split(input, [], maxLineBytes).lines);
          let at = 0;
          for (const line of [...lines, ...(rest ? [rest] : [])]) {
            expect(line.offset).toBe(at);
            const nl = input.indexOf(0x0a, at);
            let body = input.subarray(at, nl === -1 ? input.length : nl);
            if (body.at(-1) === 0x0d) body = body.subarray(0, -1);
            const full = body.toString('utf8');
            const kept = Buffer.byteLength(line.text);
            expect(kept).toBeLessThanOrEqual(maxLineBytes);
            if (line.truncated) {
              expect(body.length).toBeGreaterThan(maxLineBytes);
              // A prefix of the line's bytes that ends on a whole character.
              expect(body.subarray(0, kept).equals(Buffer.from(line.text))).toBe(true);
              expect(line.text.includes('\uFFFD') && !full.includes('\uFFFD')).toBe(false);
            } else {
              expect(line.text).toBe(full);
            }
            at = nl === -1 ? input.length : nl + 1;
          }
          expect(at).toBe(input.length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
