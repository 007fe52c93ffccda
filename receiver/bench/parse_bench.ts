import { readFile } from 'node:fs/promises';
import { createParser } from '../src/parsers/index.js';
import { BenchError } from './bench_error.js';
import { runChild } from './child_run.js';
import { PARSE_CHILD } from './paths.js';

export interface ParseResultRow {
  lines: number;
  seconds: number;
  /** CPU time of the process during the timed pass (the parser's thread plus the GC's helpers). */
  cpuSeconds: number;
  /** Lines that gave an event: all of them for a generated file. */
  events: number;
  /** Sum of the bytes field, so the work cannot be optimised away (and as a checksum). */
  bytesSum: number;
}

/**
 * The file's lines as the receiver's line splitter makes them: one string decoded per line.
 * (`text.split('\n')` would give slices of one huge string, which every character read must
 * look through, measured 15% slower to parse than what the receiver really parses.)
 */
function splitLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(NEWLINE); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.toString('utf8', start, nl));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(bytes.toString('utf8', start));
  return lines;
}

const NEWLINE = 0x0a;

/**
 * Lines per second of the combined parser alone, on this thread: the file is read and split
 * first, only `parse` is timed. The best of `passes` runs is kept, as other work on the machine
 * only ever makes a pass slower; `cpuSeconds` is the process CPU time of that pass (what the
 * pass cost when the machine is busy with other work).
 */
export async function benchParse(file: string, passes = 3): Promise<ParseResultRow> {
  const lines = splitLines(await readFile(file));
  let best: ParseResultRow | undefined;
  for (let pass = 0; pass < passes; pass++) {
    const parser = createParser('combined');
    let events = 0;
    let bytesSum = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const line of lines) {
      const result = parser.parse(line);
      if (result.kind === 'event') {
        events++;
        bytesSum += result.fields.bytes;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (best === undefined || seconds < best.seconds) best = { lines: lines.length, seconds, cpuSeconds, events, bytesSum };
  }
  if (best === undefined || best.events !== best.lines) {
    throw new BenchError('parse only', `expected every one of ${lines.length} generated lines to parse, ${best?.events ?? 0} did`);
  }
  return best;
}

/** `benchParse` in a child process of its own (parse_child.ts). */
export async function benchParseInChild(file: string): Promise<ParseResultRow> {
  const run = await runChild(process.execPath, [PARSE_CHILD, file]);
  if (run.exitCode !== 0) throw new BenchError('parse only', `child exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as ParseResultRow;
  } catch (error) {
    throw new BenchError('parse only', `unreadable child output ${JSON.stringify(run.stdout.slice(-500))}`, { cause: error });
  }
}
