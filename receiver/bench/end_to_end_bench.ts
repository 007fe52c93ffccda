import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BenchError } from './bench_error.js';
import { runChild } from './child_run.js';
import { LOGPULSE_BIN } from './paths.js';

const execFileAsync = promisify(execFile);

export interface EndToEndRow {
  lines: number;
  /** Wall time of `logpulse run --once`, start-up and shutdown included. */
  seconds: number;
  peakRssBytes: number;
  /** `SELECT count() FROM logpulse.events FINAL` afterwards. */
  storedRows: number;
  rowCountOk: boolean;
}

/** `logpulse sql` on a stopped receiver's data directory; returns the single number it prints. */
export async function countStoredRows(dataDir: string, sql = 'SELECT count() FROM logpulse.events FINAL'): Promise<number> {
  const { stdout } = await execFileAsync(process.execPath, [LOGPULSE_BIN, 'sql', '--data-dir', dataDir, '--format', 'tsv', sql], {
    maxBuffer: 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  const count = Number(last);
  if (!Number.isSafeInteger(count)) throw new BenchError('end to end', `row count: expected a number from logpulse sql, got ${JSON.stringify(stdout.trim())}`);
  return count;
}

/**
 * The whole receiver on `file` as a user runs it: `logpulse run --once` in a child process, into a
 * fresh embedded ClickHouse (parse, metrics, insert, checkpoint), then the stored rows counted.
 * A count other than `lines` fails the benchmark: a fast receiver that loses rows is no result.
 */
export async function benchEndToEnd(file: string, lines: number): Promise<EndToEndRow> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-bench-e2e-'));
  try {
    const run = await runChild(process.execPath, [
      LOGPULSE_BIN, 'run', '--once', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, '--log-level', 'warn', file,
    ]);
    if (run.exitCode !== 0) {
      throw new BenchError('end to end', `logpulse run exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
    }
    const storedRows = await countStoredRows(dataDir);
    if (storedRows !== lines) {
      throw new BenchError('end to end', `row count check: expected ${lines} rows in logpulse.events, found ${storedRows}`);
    }
    return { lines, seconds: run.seconds, peakRssBytes: run.peakRssBytes, storedRows, rowCountOk: true };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
