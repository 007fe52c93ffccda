import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoOptionsError, resolveDemoOptions, type DemoOptions, type ResolvedDemoOptions } from './demo_options.js';
import { createLineGenerator, DEMO_FORMATS, type DemoFormat, type LineGenerator } from './line_generator.js';
import { linesInSecond } from './traffic_schedule.js';

/** Writing demo lines failed (the folder cannot be created, the disk is full, ...). */
export class DemoWriteError extends Error {
  override readonly name = 'DemoWriteError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`demo: ${message}`, options);
  }
}

function writeError(action: string, path: string, cause: unknown): DemoWriteError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DemoWriteError(`${action} ${path}: ${reason}`, { cause });
}

async function openForWriting(path: string, flags: 'a' | 'w'): Promise<FileHandle> {
  try {
    await mkdir(dirname(path), { recursive: true });
    return await open(path, flags);
  } catch (cause) {
    throw writeError('open', path, cause);
  }
}

async function append(file: FileHandle, path: string, text: string): Promise<void> {
  try {
    await file.write(text);
  } catch (cause) {
    throw writeError('write', path, cause);
  }
}

/** Closes `file`; on the failure path a close error would hide the first error, so it is dropped there. */
async function close(file: FileHandle, path: string, failed: boolean): Promise<void> {
  try {
    await file.close();
  } catch (cause) {
    if (!failed) throw writeError('close', path, cause);
  }
}

/** `count` lines stamped `epochMs`, each ending with a newline. */
function lines(generator: LineGenerator, count: number, epochMs: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += generator.line(epochMs) + '\n';
  return text;
}

export interface DemoSummary {
  /** Lines appended to the file. */
  lines: number;
  /** Bytes appended to the file. */
  bytes: number;
}

export interface DemoHandle {
  /** Stops writing; resolves once the file is closed, with what was written. Idempotent. */
  stop(): Promise<DemoSummary>;
  /**
   * Settles when the demo ends (stopped, aborted or its duration elapsed); rejects with a
   * `DemoWriteError` when the file cannot be written.
   */
  readonly done: Promise<DemoSummary>;
  /** Lines appended so far. */
  linesWritten(): number;
}

/**
 * Appends demo lines to `options.output` in real time, following the traffic schedule, with the
 * wall clock as their timestamps. Each second's lines go out in `writesPerSecond` appends spread
 * over the second, as a real server's log grows. Options are checked before anything starts
 * (`DemoOptionsError`).
 */
export function runDemo(options: DemoOptions): DemoHandle {
  const resolved = resolveDemoOptions(options);
  const stopper = new AbortController();
  const onAbort = (): void => stopper.abort();
  resolved.signal?.addEventListener('abort', onAbort, { once: true });
  if (resolved.signal?.aborted) stopper.abort();

  const summary: DemoSummary = { lines: 0, bytes: 0 };
  const done = writeInRealTime(resolved, stopper.signal, summary).finally(() =>
    resolved.signal?.removeEventListener('abort', onAbort),
  );
  // Callers may only ever call stop(); a failure still reaches whoever awaits `done` or stop().
  done.catch(() => {});
  return {
    stop() {
      stopper.abort();
      return done;
    },
    done,
    linesWritten: () => summary.lines,
  };
}

async function writeInRealTime(options: ResolvedDemoOptions, stop: AbortSignal, summary: DemoSummary): Promise<DemoSummary> {
  if (stop.aborted) return summary;
  const file = await openForWriting(options.output, 'a');
  try {
    const generator = createLineGenerator(options.format, options.seed);
    const perSecond = options.writesPerSecond;
    const sliceMs = 1000 / perSecond;
    const endMs = options.durationSeconds === undefined ? Infinity : options.durationSeconds * 1000;
    const start = Date.now();
    let slice = 0;
    while (!stop.aborted && slice * sliceMs < endMs) {
      const second = Math.floor(slice / perSecond);
      const part = slice % perSecond;
      const due = linesInSecond(options.schedule, second);
      const count = Math.floor((due * (part + 1)) / perSecond) - Math.floor((due * part) / perSecond);
      if (count > 0) {
        const text = lines(generator, count, Date.now());
        await append(file, options.output, text);
        summary.lines += count;
        summary.bytes += Buffer.byteLength(text);
      }
      // A late timer catches up on the next writes; after a longer stall (a suspended laptop, a
      // debugger) the schedule jumps to the clock instead of writing every missed line at once.
      slice += 1;
      const clockSlice = Math.floor((Date.now() - start) / sliceMs);
      if (clockSlice - slice > perSecond) slice = clockSlice;
      const wait = start + slice * sliceMs - Date.now();
      // A referenced timer on purpose: the demo is work of its own and keeps the process alive.
      // An abort rejects the wait early; the loop condition then sees it.
      if (wait > 0) await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
    }
  } catch (error) {
    await close(file, options.output, true);
    throw error;
  }
  await close(file, options.output, false);
  return summary;
}

/** Options of `writeDemoFile`: a whole log file written at once, for the benchmark. */
export interface DemoFileOptions {
  /** File to write; replaced if it exists, its folder created when missing. */
  output: string;
  /** Exact number of lines to write. */
  lines: number;
  /** @default 'combined' */
  format?: DemoFormat;
  /** @default 1 */
  seed?: number;
  /** Timestamp of the first line, epoch milliseconds. @default Date.UTC(2026, 10, 22, 10) (2026-11-22T10:00:00Z) */
  startTime?: number;
  /** How fast the timestamps advance. @default 1000 */
  linesPerSecond?: number;
}

/** Lines joined into one write: large writes keep a million-line file to a few seconds. */
const LINES_PER_CHUNK = 8192;

/**
 * Writes `lines` lines as fast as possible, line i stamped startTime + i / linesPerSecond:
 * the same options always give the same bytes.
 */
export async function writeDemoFile(options: DemoFileOptions): Promise<DemoSummary> {
  const format = options.format ?? 'combined';
  const seed = options.seed ?? 1;
  const startTime = options.startTime ?? Date.UTC(2026, 10, 22, 10);
  const linesPerSecond = options.linesPerSecond ?? 1000;
  const bad = (key: string, expected: string, value: unknown): DemoOptionsError =>
    new DemoOptionsError(`${key}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  if (typeof options.output !== 'string' || options.output === '') throw bad('output', 'a file path', options.output);
  if (!Number.isSafeInteger(options.lines) || options.lines < 0) throw bad('lines', 'a whole number, 0 or more', options.lines);
  if (!DEMO_FORMATS.includes(format)) throw bad('format', `one of ${DEMO_FORMATS.join(', ')}`, format);
  if (!Number.isSafeInteger(seed)) throw bad('seed', 'an integer', seed);
  if (!Number.isFinite(startTime)) throw bad('start_time', 'epoch milliseconds', startTime);
  if (!Number.isFinite(linesPerSecond) || linesPerSecond <= 0) throw bad('lines_per_second', 'a positive number', linesPerSecond);

  const generator = createLineGenerator(format, seed);
  const file = await openForWriting(options.output, 'w');
  const summary: DemoSummary = { lines: 0, bytes: 0 };
  try {
    const msPerLine = 1000 / linesPerSecond;
    while (summary.lines < options.lines) {
      const count = Math.min(LINES_PER_CHUNK, options.lines - summary.lines);
      const chunk = new Array<string>(count + 1);
      for (let i = 0; i < count; i++) chunk[i] = generator.line(startTime + Math.floor((summary.lines + i) * msPerLine));
      chunk[count] = '';
      const text = chunk.join('\n');
      await append(file, options.output, text);
      summary.lines += count;
      summary.bytes += Buffer.byteLength(text);
    }
  } catch (error) {
    await close(file, options.output, true);
    throw error;
  }
  await close(file, options.output, false);
  return summary;
}
