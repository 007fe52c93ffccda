import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results.js';
import { REPO_ROOT } from '../support/cli.js';

const execFileAsync = promisify(execFile);
const BENCH = path.join(REPO_ROOT, 'dist/receiver/bench/main.js');
const ROWS = ['parse only', 'end to end', 'GoAccess', 'ClickHouse Regexp', 'latency to /metrics', 'latency to ClickHouse', 'OTLP/HTTP ingest, 10 clients', 'logpulse ship (agent)'];

// A small run of the real benchmark (dist is built by the global setup): every engine it compares
// against must be there, so a missing goaccess fails here rather than being skipped. Times are
// never asserted: the machine is shared, only the shape and the correctness checks are.
describe('npm run bench on 50 000 lines', () => {
  let dir: string;
  let results: BenchResults;
  let table: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-bench-smoke-'));
    const out = path.join(dir, 'bench-results.json');
    const { stdout } = await execFileAsync(process.execPath, [BENCH, '--lines', '50000', '--latency-seconds', '4', '--idle-files', '1,50', '--idle-seconds', '3', '--out', out], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    table = stdout;
    results = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every row of the table with positive numbers', () => {
    expect(results.rows.map((r) => r.name)).toEqual(ROWS);
    for (const row of results.rows) {
      expect(row.skipped, `${row.name} was skipped`).toBeUndefined();
      expect(row.lines, row.name).toBeGreaterThan(0);
      expect(row.seconds, row.name).toBeGreaterThan(0);
    }
  });

  it('gives lines per second and ratios against both references for every throughput row', () => {
    for (const row of results.rows.slice(0, 4)) {
      expect(row.lines, row.name).toBe(50_000);
      expect(row.linesPerSecond, row.name).toBeGreaterThan(0);
      expect(row.vsClickHouseRegexp, row.name).toBeGreaterThan(0);
      expect(row.vsGoAccess, row.name).toBeGreaterThan(0);
    }
  });

  it('stores exactly one row per line end to end and reports the peak memory', () => {
    expect(results.endToEnd.rowCountOk).toBe(true);
    expect(results.endToEnd.storedRows).toBe(50_000);
    expect(results.endToEnd.peakRssBytes).toBeGreaterThan(0);
  });

  it('measures both latencies over every appended sample', () => {
    for (const row of results.rows.slice(4, 6)) {
      expect(row.lines, row.name).toBe(4 * 50);
      expect(row.p50Seconds, row.name).toBeGreaterThan(0);
      expect(row.p99Seconds, row.name).toBeGreaterThanOrEqual(row.p50Seconds ?? 0);
    }
  });

  it('sends every line through /v1/logs and through the agent, with the agent\'s CPU and memory', () => {
    for (const row of results.rows.slice(6)) {
      expect(row.lines, row.name).toBe(50_000);
      expect(row.linesPerSecond, row.name).toBeGreaterThan(0);
    }
    const ship = results.ship;
    expect(ship?.storedRows).toBe(50_000);
    expect(ship?.cpuSeconds).toBeGreaterThan(0);
    // The agent loads neither the engine nor the UI: far below the receiver's own footprint.
    expect(ship?.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(ship?.peakRssBytes).toBeLessThan(results.endToEnd.peakRssBytes);
    expect(ship?.idleSeconds).toBe(3);
    expect(table).toMatch(/agent shipping: [\d.]+ s of CPU for 50,000 lines, peak RSS \d+ MB; idle: [\d.]+ % of one core/);
  });

  it('measures the CPU of a receiver following idle files', () => {
    expect(results.idle.map((f) => f.files)).toEqual([1, 50]);
    for (const figure of results.idle) {
      expect(figure.seconds).toBe(3);
      expect(figure.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(figure.percentOfOneCore).toBe((100 * figure.cpuSeconds) / 3);
    }
    expect(table).toMatch(/idle, 50 files: [\d.]+ % of one core/);
  });

  it('prints the table with the machine it ran on and each target', () => {
    for (const name of ROWS) expect(table).toContain(name);
    expect(table).toContain(`${results.machine.cores} cores`);
    expect(results.targets.map((t) => t.name)).toHaveLength(6);
  });
});
