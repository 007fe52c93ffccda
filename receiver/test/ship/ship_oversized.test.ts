import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineBatch } from '../../src/model/line_batch.js';
import { openStore, type Store } from '../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import type { OtlpSource } from '../../src/sources/otlp/index.js';
import { OtlpHttpExporter, ShipHandler, ShipStats } from '../../src/ship/index.js';
import { jsonRows, RecordingLogger, tempDir } from '../sinks/sink_fixtures.js';
import { ACCESS_LINE, startEndpoint } from '../sources/otlp/otlp_harness.js';

/**
 * The agent's handler against a real OTLP endpoint with a tiny body limit (2 KiB) in front of
 * chDB: a batch whose request is refused as too large (413) is sent again in halves until each
 * part fits, and a line too large even alone is counted and skipped instead of blocking its file.
 */
const dataDir = tempDir('ship-oversized');
let sink: ClickHouseSink;
let store: Store;
let endpoint: OtlpSource;

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  endpoint = await startEndpoint(sink, { maxBodyBytes: 2048 });
});

afterAll(async () => {
  await endpoint.shutdown();
  await sink.shutdown();
  await store.close();
});

describe('a batch over the receiver\'s body limit', () => {
  it('is split until its parts fit, and only a line too large alone is left out', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => ACCESS_LINE(i));
    // A request line of 3,000 bytes: one record alone decompresses past 2 KiB.
    texts.splice(7, 0, `192.0.2.77 - - [06/Mar/2024:08:00:07 +0000] "GET /${'a'.repeat(3000)} HTTP/1.1" 414 0 "-" "scanner"`);
    let offset = 0;
    const lines = texts.map((text) => {
      const line = { offset, text };
      offset += Buffer.byteLength(text) + 1;
      return line;
    });
    const stats = new ShipStats();
    const exporter = new OtlpHttpExporter({ url: new URL(endpoint.url), token: undefined, timeoutMs: 10_000 });
    const handler = new ShipHandler({ source: 'web-big', exporter, retry: { initialMs: 10, maxMs: 20, maxRetryAfterMs: 100 }, maxInFlight: 1, events: stats });
    let acked = 0;
    const batch: LineBatch = { source: 'web-big', file: '/var/log/nginx/access.log', fileId: '00000000000000aa', lines, ack: () => acked++ };
    await handler.handle(batch);
    await handler.drain(20_000);
    exporter.close();

    expect(acked).toBe(1);
    expect(stats.droppedLines).toBe(1);
    expect(stats.lines).toBe(20);
    expect(stats.requests.get('too_large')).toBeGreaterThanOrEqual(3);
    const rows = jsonRows(await store.query("SELECT offset FROM logpulse.events FINAL WHERE source = 'web-big' ORDER BY offset", {}, 'JSONEachRow'));
    expect(rows.map((r) => Number(r.offset))).toEqual(lines.filter((_, i) => i !== 7).map((l) => l.offset));
  });
});
