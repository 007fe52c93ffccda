import { Command, InvalidArgumentError, Option } from 'commander';

export interface BenchOptions {
  /** Lines of the generated access log. @default 1000000 */
  lines: number;
  /** Where the results are written as JSON. @default 'bench-results.json' */
  out: string;
  /** Leaves out the live-latency measurement. @default false */
  skipLatency: boolean;
  /** How long lines are appended during the live-latency measurement. @default 10 */
  latencySeconds: number;
  /** Lines appended per second during the live-latency measurement. @default 50 */
  latencyRatePerSecond: number;
  /** Numbers of idle files the idle CPU is measured with. @default [1, 300, 3000] */
  idleFiles: number[];
  /** Seconds each idle measurement lasts. @default 30 */
  idleSeconds: number;
  /** Leaves out the OTLP/HTTP ingest row (10 concurrent clients into a central receiver). @default false */
  skipOtlp: boolean;
  /** Leaves out the `logpulse ship` rows (the agent's CPU and peak RSS shipping the file, then idle). @default false */
  skipShip: boolean;
}

function fileCounts(raw: string): number[] {
  const counts = raw.split(',').map((part) => Number(part.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    throw new InvalidArgumentError(`--idle-files: expected positive whole numbers separated by commas, got ${JSON.stringify(raw)}`);
  }
  return counts;
}

function positiveInteger(flag: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError(`${flag}: expected a positive whole number, got ${JSON.stringify(raw)}`);
    return value;
  };
}

/** Reads the benchmark's command line (`node dist/receiver/bench/main.js --lines 50000 ...`). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const command = new Command('bench')
    .description('measure the receiver: parse only, end to end into chDB, GoAccess, ClickHouse Regexp, live latency')
    .addOption(new Option('--lines <n>', 'lines of the generated combined-format log').argParser(positiveInteger('--lines')).default(1_000_000))
    .addOption(new Option('--out <file>', 'results file (JSON)').default('bench-results.json'))
    .addOption(new Option('--skip-latency', 'leave out the live-latency measurement').default(false))
    .addOption(new Option('--latency-seconds <n>', 'seconds of appending in the latency measurement').argParser(positiveInteger('--latency-seconds')).default(10))
    .addOption(new Option('--latency-rate <n>', 'lines per second appended in the latency measurement').argParser(positiveInteger('--latency-rate')).default(50))
    .addOption(new Option('--idle-files <n,...>', 'numbers of idle files the idle CPU is measured with').argParser(fileCounts).default([1, 300, 3000]))
    .addOption(new Option('--idle-seconds <n>', 'seconds of each idle CPU measurement').argParser(positiveInteger('--idle-seconds')).default(30))
    .addOption(new Option('--skip-otlp', 'leave out the OTLP/HTTP ingest row').default(false))
    .addOption(new Option('--skip-ship', 'leave out the logpulse ship rows').default(false))
    .exitOverride()
    .showHelpAfterError();
  command.parse([...argv], { from: 'user' });
  const o = command.opts<{ lines: number; out: string; skipLatency: boolean; latencySeconds: number; latencyRate: number; idleFiles: number[]; idleSeconds: number; skipOtlp: boolean; skipShip: boolean }>();
  return { lines: o.lines, out: o.out, skipLatency: o.skipLatency, latencySeconds: o.latencySeconds, latencyRatePerSecond: o.latencyRate, idleFiles: o.idleFiles, idleSeconds: o.idleSeconds, skipOtlp: o.skipOtlp, skipShip: o.skipShip };
}
