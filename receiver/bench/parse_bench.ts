import { readFile } from 'node:fs/promises';
import { createParser } from '../src/parsers/index.js';
import { BenchError } from './bench_error.js';

export interface ParseResultRow {
  lines: number;
  seconds: number;
  /** Lines that gave an event: all of them for a generated file. */
  events: number;
  /** Sum of the bytes field, so the work cannot be optimised away (and as a checksum). */
  bytesSum: number;
}

/**
 * Lines per second of the combined parser alone, on this thread: the file is read and split
 * first, only `parse` is timed. The best of `passes` runs is kept, as other work on the machine
 * only ever makes a pass slower.
 */
export async function benchParse(file: string, passes = 2): Promise<ParseResultRow> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let best: ParseResultRow | undefined;
  for (let pass = 0; pass < passes; pass++) {
    const parser = createParser('combined');
    let events = 0;
    let bytesSum = 0;
    const start = process.hrtime.bigint();
    for (const line of lines) {
      const result = parser.parse(line);
      if (result.kind === 'event') {
        events++;
        bytesSum += result.fields.bytes;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (best === undefined || seconds < best.seconds) best = { lines: lines.length, seconds, events, bytesSum };
  }
  if (best === undefined || best.events !== best.lines) {
    throw new BenchError('parse only', `expected every one of ${lines.length} generated lines to parse, ${best?.events ?? 0} did`);
  }
  return best;
}
