import { BenchError } from './bench_error.js';
import { runChild } from './child_run.js';
import { REGEXP_CHILD } from './paths.js';

export interface ClickHouseRegexpRow {
  lines: number;
  /** Time of the query alone, inside the engine (no process or engine start-up): the fastest of its passes. */
  seconds: number;
  /** Wall time of the child process: start-up and every pass. */
  processSeconds: number;
  bytesSum: number;
  /** Times the query ran; `seconds` is the fastest. */
  passes: number;
}

/**
 * ClickHouse's own parser on the same file: chDB's `file(..., 'Regexp', ...)` with a combined-log
 * pattern and `max_threads = 1`, in a child process. Every line must match, or the comparison is void.
 */
export async function benchClickHouseRegexp(file: string, lines: number): Promise<ClickHouseRegexpRow> {
  const run = await runChild(process.execPath, [REGEXP_CHILD, file]);
  if (run.exitCode !== 0) throw new BenchError('clickhouse regexp', `child exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
  let result: { count?: number; bytesSum?: number; seconds?: number; passes?: number };
  try {
    result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as typeof result;
  } catch (error) {
    throw new BenchError('clickhouse regexp', `unreadable child output ${JSON.stringify(run.stdout.slice(-500))}`, { cause: error });
  }
  if (result.count !== lines) throw new BenchError('clickhouse regexp', `expected ${lines} rows matched, got ${result.count}`);
  return { lines, seconds: result.seconds ?? 0, processSeconds: run.seconds, bytesSum: result.bytesSum ?? 0, passes: result.passes ?? 1 };
}
