import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClfTimeFormatter } from '../src/demo/index.js';
import { BenchError } from './bench_error.js';
import { LiveReceiver } from './live_receiver.js';

export interface LatencyStats {
  samples: number;
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
}

export interface LatencyResult {
  /** Line appended → counted in `logpulse_http_requests_total` on /metrics. */
  metrics: LatencyStats;
  /** Line appended → counted by `SELECT count() FROM logpulse.events` through the receiver. */
  clickhouse: LatencyStats;
}

export interface LatencyOptions {
  seconds: number;
  ratePerSecond: number;
}

const METRICS_POLL_MS = 20;
const CLICKHOUSE_POLL_MS = 50;
/** After the last append, how long every sample may take to show up before the run fails. */
const SETTLE_TIMEOUT_MS = 15_000;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

function stats(appendedAt: readonly number[], seenAt: readonly number[], what: string): LatencyStats {
  const latencies = appendedAt.map((t, i) => {
    const seen = seenAt[i];
    if (seen === undefined) throw new BenchError('latency', `sample ${i} never became visible in ${what}`);
    return Math.max(0, seen - t) / 1000;
  });
  latencies.sort((a, b) => a - b);
  return { samples: latencies.length, p50Seconds: percentile(latencies, 50), p99Seconds: percentile(latencies, 99), maxSeconds: latencies[latencies.length - 1] ?? 0 };
}

/**
 * Follows a live file: appends one line every 1/rate seconds (each with its ordinal in the path)
 * to a file the receiver follows, while /metrics and ClickHouse are polled. Sample i is visible
 * once the request counter, or the row count, reaches i + 1: lines arrive in order, so the count
 * tells which samples are in without a query per sample.
 */
export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-bench-live-'));
  const file = path.join(dir, 'access.log');
  await writeFile(file, '');
  let receiver: LiveReceiver | undefined;
  let polling = true;
  try {
    receiver = await LiveReceiver.start(file, path.join(dir, 'data'));
    const live = receiver;
    const total = options.seconds * options.ratePerSecond;
    const appendedAt: number[] = [];
    const metricsSeenAt: number[] = [];
    const clickhouseSeenAt: number[] = [];
    const markSeen = (seenAt: number[], count: number, now: number): void => {
      for (let i = seenAt.length; i < Math.min(count, appendedAt.length); i++) seenAt.push(now);
    };
    const poll = async (every: number, read: () => Promise<number>, seenAt: number[]): Promise<void> => {
      while (polling) {
        const count = await read();
        markSeen(seenAt, count, performance.now());
        await sleep(every);
      }
    };
    const pollers = Promise.all([
      poll(METRICS_POLL_MS, () => live.httpRequestsTotal(), metricsSeenAt),
      poll(CLICKHOUSE_POLL_MS, () => live.queryNumber('SELECT count() FROM logpulse.events'), clickhouseSeenAt),
    ]);
    pollers.catch(() => {});

    const handle = await open(file, 'a');
    const clock = new ClfTimeFormatter();
    const intervalMs = 1000 / options.ratePerSecond;
    const start = performance.now();
    try {
      for (let i = 0; i < total; i++) {
        const due = start + i * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const line = `198.51.100.7 - - [${clock.format(Date.now())}] "GET /bench/live-${i} HTTP/1.1" 200 ${512 + i} "-" "logpulse-bench/1.0"\n`;
        await handle.write(line);
        appendedAt.push(performance.now());
      }
    } finally {
      await handle.close();
    }
    const deadline = performance.now() + SETTLE_TIMEOUT_MS;
    while ((metricsSeenAt.length < total || clickhouseSeenAt.length < total) && performance.now() < deadline) {
      await Promise.race([sleep(50), pollers]);
    }
    polling = false;
    await pollers;
    return { metrics: stats(appendedAt, metricsSeenAt, '/metrics'), clickhouse: stats(appendedAt, clickhouseSeenAt, 'ClickHouse') };
  } finally {
    polling = false;
    await receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
