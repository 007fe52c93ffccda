import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { TrafficAlert } from '../../src/alerts/index.js';
import type { Event } from '../../src/model/event.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { noopTelemetry } from '../../src/model/telemetry.js';
import { burstyLines } from '../support/rotated_log.js';
import { FileSource } from '../../src/sources/file/file_source.js';
import { MemoryLogger, tempDir, waitFor } from './helpers.js';

/**
 * Two access logs followed at once by the real file source and parser: the source reads a few
 * batches of one, then of the other, so while catching up one runs minutes ahead of the other in
 * event time. The alert must give the transitions of their lines merged in time order.
 */
describe('the traffic alert over two files followed at once', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const START_MS = Date.UTC(2026, 10, 22, 9, 0, 0);
  const WINDOW = { thresholdRps: 5, windowSeconds: 10 };

  it('gives the alerts of the lines merged in time order', async () => {
    const busy = burstyLines(START_MS, 900, 3);
    const quiet = burstyLines(START_MS, 900, 5, { baseRate: 0.5, burstRate: 6, burstSeconds: 15, quietSeconds: 45, firstBurstAfterSeconds: 10 });
    writeFileSync(join(dir, 'access.log'), busy.map((l) => `${l}\n`).join(''));
    writeFileSync(join(dir, 'other_vhosts_access.log'), quiet.map((l) => `${l}\n`).join(''));

    // Only the parse step of the pipeline is used: storage is not what this test is about.
    const pipeline = new Pipeline({ sink: unusedSink, consumers: [], telemetry: noopTelemetry, format: 'combined' });
    const parsed: Event[] = [];
    const live: AlertTransition[] = [];
    const alert = new TrafficAlert({ ...WINDOW, startupGraceMs: 5000, onTransition: (t) => live.push(t) });
    const files = new Set<string>();
    const source = new FileSource(
      { paths: [dir], dataDir: join(dir, 'data'), source: 'web-1', pollIntervalMs: 40, commitIntervalMs: 50, maxBatchLines: 50, format: 'combined', logger: new MemoryLogger() },
      async (batch) => {
        const events = await pipeline.parse(batch);
        files.add(batch.file);
        parsed.push(...events);
        alert.consume(events);
        batch.ack();
      },
    );
    await source.start();
    await waitFor(() => parsed.length === busy.length + quiet.length, 20_000, () => `${parsed.length} of ${busy.length + quiet.length} lines`);
    await source.shutdown();
    alert.finish();

    const replayed: AlertTransition[] = [];
    const replay = new TrafficAlert({ ...WINDOW, onTransition: (t) => replayed.push(t) });
    replay.consume([...parsed].sort((a, b) => a.ts - b.ts));
    replay.finish();
    expect(files.size).toBe(2);
    // Lines were handed on out of time order: the quiet file's turn is minutes behind the busy one's.
    expect(parsed.some((e, i) => i > 0 && e.ts < parsed[i - 1]!.ts - 60_000)).toBe(true);
    expect(replayed.length).toBeGreaterThanOrEqual(20);
    expect(live).toEqual(replayed);
    expect(alert.stats.lateEvents).toBe(0);
  });
});

const unusedSink = {
  start: () => Promise.reject(new Error('not used')),
  write: () => Promise.reject(new Error('not used')),
  flush: () => Promise.reject(new Error('not used')),
  shutdown: () => Promise.reject(new Error('not used')),
};
