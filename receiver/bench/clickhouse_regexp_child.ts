/**
 * Run as a child process by the benchmark (chDB binds one data directory per process): reads the
 * log with ClickHouse's own Regexp input format, single-threaded, and prints what it counted and
 * how long the query took, as one JSON line. The query runs `PASSES` times and the fastest is kept,
 * as for the parse-only row: other work on the machine only ever makes a pass slower, and a
 * reference measured once varied by a quarter from run to run (2.2-2.8 s for 1M lines).
 *
 *   node clickhouse_regexp_child.js <file>
 */
import { query } from 'chdb';

/** Combined log format, as a RE2 pattern: quoted fields allow backslash escapes; nginx tails are matched by `.*`. */
export const COMBINED_REGEXP = String.raw`^(\S+) \S+ (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)".*$`;
const PASSES = 3;
const SCHEMA = 'client String, user String, time String, request String, status UInt16, bytes String, referer String, user_agent String';

/** A ClickHouse single-quoted string literal. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: clickhouse_regexp_child.js <file>\n');
    process.exitCode = 2;
    return;
  }
  const sql =
    `SELECT count(), sum(toUInt64OrZero(bytes)) FROM file(${literal(file)}, 'Regexp', ${literal(SCHEMA)}) ` +
    `SETTINGS format_regexp = ${literal(COMBINED_REGEXP)}, format_regexp_escaping_rule = 'Raw', ` +
    `format_regexp_skip_unmatched = 0, max_threads = 1`;
  let seconds = Infinity;
  let output = '';
  for (let pass = 0; pass < PASSES; pass++) {
    const start = process.hrtime.bigint();
    output = query(sql, 'TSV');
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  const [count, bytesSum] = output.trim().split('\t').map(Number);
  process.stdout.write(`${JSON.stringify({ count, bytesSum, seconds, passes: PASSES })}\n`);
}

main();
