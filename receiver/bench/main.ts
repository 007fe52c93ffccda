#!/usr/bin/env node
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeDemoFile } from '../src/demo/index.js';
import { parseBenchOptions, type BenchOptions } from './bench_options.js';
import { benchClickHouseRegexp } from './clickhouse_regexp_bench.js';
import { benchEndToEnd } from './end_to_end_bench.js';
import { benchGoAccess, findGoAccess } from './goaccess_bench.js';
import { benchIdle, type IdleFigure } from './idle_bench.js';
import { benchLatency } from './latency_bench.js';
import { machineInfo } from './machine.js';
import { benchOtlpIngest } from './otlp_ingest_bench.js';
import { benchParseInChild } from './parse_bench.js';
import { benchShip, type ShipFigure } from './ship_bench.js';
import { addRatios, evaluateTargets, formatTable, ROW_NAMES, throughputRow, type BenchResults, type ResultRow } from './results.js';

function rateText(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
}

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** Runs every measurement on one generated file and returns the results (throws on a failed check). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const machine = machineInfo();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-bench-'));
  try {
    const file = path.join(dir, 'access.log');
    progress(`writing ${options.lines} combined lines to ${file}`);
    // Timestamps start an hour ago: the table's TTL would drop rows of an old date on arrival.
    await writeDemoFile({ output: file, lines: options.lines, format: 'combined', seed: 1, startTime: Date.now() - 3_600_000, linesPerSecond: 1000 });
    const fileBytes = (await stat(file)).size;
    const rows: ResultRow[] = [];

    progress('parse only');
    const parse = await benchParseInChild(file);
    rows.push(throughputRow(ROW_NAMES.parse, parse.lines, parse.seconds, { cpuSeconds: parse.cpuSeconds, note: `one thread, file in memory; ${rateText(parse.lines / parse.cpuSeconds)} lines per CPU second` }));

    progress('end to end (logpulse run --once into a fresh chDB)');
    const e2e = await benchEndToEnd(file, options.lines);
    rows.push(
      throughputRow(ROW_NAMES.endToEnd, e2e.lines, e2e.seconds, {
        peakRssBytes: e2e.peakRssBytes,
        note: `peak RSS ${(e2e.peakRssBytes / 1024 / 1024).toFixed(0)} MB, ${e2e.storedRows} rows stored`,
      }),
    );

    const goaccess = findGoAccess();
    if (goaccess === undefined) {
      rows.push({ name: ROW_NAMES.goaccess, lines: 0, seconds: 0, skipped: 'goaccess is not installed (apt-get install goaccess)' });
    } else {
      progress('GoAccess');
      const g = await benchGoAccess(goaccess, file, options.lines);
      rows.push(throughputRow(ROW_NAMES.goaccess, g.lines, g.seconds, { note: 'JSON report, process wall time' }));
    }

    progress('ClickHouse Regexp (chDB, max_threads=1)');
    const ch = await benchClickHouseRegexp(file, options.lines);
    rows.push(throughputRow(ROW_NAMES.clickhouse, ch.lines, ch.seconds, { note: `query time, fastest of ${ch.passes} passes` }));

    if (options.skipLatency) {
      rows.push({ name: ROW_NAMES.latencyMetrics, lines: 0, seconds: 0, skipped: '--skip-latency' });
      rows.push({ name: ROW_NAMES.latencyClickHouse, lines: 0, seconds: 0, skipped: '--skip-latency' });
    } else {
      progress(`live latency (${options.latencyRatePerSecond} lines/s for ${options.latencySeconds} s)`);
      const latency = await benchLatency({ seconds: options.latencySeconds, ratePerSecond: options.latencyRatePerSecond });
      for (const [name, s] of [[ROW_NAMES.latencyMetrics, latency.metrics], [ROW_NAMES.latencyClickHouse, latency.clickhouse]] as const) {
        rows.push({
          name,
          lines: s.samples,
          seconds: s.p99Seconds,
          p50Seconds: s.p50Seconds,
          p99Seconds: s.p99Seconds,
          note: `p50 ${s.p50Seconds.toFixed(3)} s, p99 ${s.p99Seconds.toFixed(3)} s, max ${s.maxSeconds.toFixed(3)} s`,
        });
      }
    }

    if (options.skipOtlp) {
      rows.push({ name: ROW_NAMES.otlpIngest, lines: 0, seconds: 0, skipped: '--skip-otlp' });
    } else {
      progress('OTLP/HTTP ingest (10 clients, protobuf + gzip, into a central receiver with chDB)');
      const ingest = await benchOtlpIngest(file, options.lines, dir);
      rows.push(throughputRow(ROW_NAMES.otlpIngest, ingest.lines, ingest.seconds, { note: `${ingest.requests} requests of up to 4,096 lines, each answered after it was stored; ${ingest.storedRows} rows stored` }));
    }

    let ship: ShipFigure | undefined;
    if (options.skipShip) {
      rows.push({ name: ROW_NAMES.ship, lines: 0, seconds: 0, skipped: '--skip-ship' });
    } else {
      progress(`logpulse ship into a central receiver, then idle for ${options.idleSeconds} s`);
      ship = await benchShip(file, options.lines, dir, options.idleSeconds);
      rows.push(throughputRow(ROW_NAMES.ship, ship.lines, ship.seconds, {
        cpuSeconds: ship.cpuSeconds,
        peakRssBytes: ship.peakRssBytes,
        note: `agent CPU ${ship.cpuSeconds.toFixed(1)} s, peak RSS ${(ship.peakRssBytes / 1024 / 1024).toFixed(0)} MB; idle ${((100 * ship.idleCpuSeconds) / ship.idleSeconds).toFixed(2)} % of one core, RSS ${(ship.idleRssBytes / 1024 / 1024).toFixed(0)} MB`,
      }));
    }

    const idle: IdleFigure[] = [];
    for (const files of options.idleFiles) {
      progress(`idle CPU with ${files} files (${options.idleSeconds} s)`);
      idle.push(await benchIdle(files, options.idleSeconds));
    }

    addRatios(rows);
    machine.loadAverageEnd = os.loadavg()[0] ?? 0;
    return {
      generatedAt: new Date().toISOString(),
      machine,
      lines: options.lines,
      fileBytes,
      rows,
      endToEnd: { storedRows: e2e.storedRows, rowCountOk: e2e.rowCountOk, peakRssBytes: e2e.peakRssBytes },
      idle,
      ...(ship === undefined ? {} : { ship }),
      targets: evaluateTargets(rows),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'commander.helpDisplayed' || code === 'commander.help' ? 0 : 2;
  }
  const results = await runBench(options);
  process.stdout.write(formatTable(results));
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  progress(`results written to ${options.out}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
