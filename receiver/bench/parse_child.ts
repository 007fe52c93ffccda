/**
 * Run as a child process by the benchmark: the parse-only measurement in a fresh process, as the
 * receiver parses, rather than in the benchmark's own heap, which holds what generating the file
 * left behind (measured about 8% slower there). Prints the result as one JSON line.
 *
 *   node parse_child.js <file>
 */
import { benchParse } from './parse_bench.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: parse_child.js <file>\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${JSON.stringify(await benchParse(file))}\n`);
}

await main();
