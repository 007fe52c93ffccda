import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from './bench_error.js';
import { runChild } from './child_run.js';

export interface GoAccessRow {
  lines: number;
  seconds: number;
  /** GoAccess's own count of the lines it accepted. */
  validRequests: number;
}

const CANDIDATES = ['/usr/bin/goaccess', '/usr/local/bin/goaccess'];

/** Path of the goaccess binary, undefined when it is not installed. */
export function findGoAccess(): string | undefined {
  const fromPath = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'goaccess'));
  return [...fromPath, ...CANDIDATES].find((candidate) => existsSync(candidate));
}

/**
 * GoAccess parsing the same file into a JSON report (its `COMBINED` format reads our timestamps
 * as they are). Its report must account for every line, or the comparison is void.
 */
export async function benchGoAccess(binary: string, file: string, lines: number): Promise<GoAccessRow> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-bench-goaccess-'));
  try {
    const report = path.join(dir, 'report.json');
    const run = await runChild(binary, ['--no-global-config', '--no-progress', '--log-format=COMBINED', '-o', report, file]);
    if (run.exitCode !== 0) throw new BenchError('goaccess', `exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { general?: { valid_requests?: number } };
    const validRequests = parsed.general?.valid_requests ?? 0;
    if (validRequests !== lines) throw new BenchError('goaccess', `expected ${lines} valid requests in its report, got ${validRequests}`);
    return { lines, seconds: run.seconds, validRequests };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
