import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { LineBatch, RawLine } from '../../src/pipeline/line_batch.js';
import type { LineOutcome, ReceiverTelemetry } from '../../src/pipeline/telemetry.js';
import { ClickHouseSink } from '../../src/sinks/index.js';

const LINE = '203.0.113.7 - alice [22/Nov/2026:10:00:00 +0000] "GET /pages/create?id=3 HTTP/1.1" 200 5123 "-" "curl/8.5.0"';

/** Counts what the pipeline reports, as the metrics module would. */
class CountingTelemetry implements ReceiverTelemetry {
  readonly outcomes: Record<string, number> = {};
  readonly reasons: string[] = [];
  linesProcessed(_source: string, outcome: LineOutcome, count: number): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + count;
  }
  invalidLine(_s: string, _f: string, _o: number, reason: string): void {
    this.reasons.push(reason);
  }
  sinkRows(): void {}
  sinkQueueRows(): void {}
  pathUnreadable(): void {}
  checkpointsEvicted(): void {}
}

function batch(lines: RawLine[], fileId = 'f1', file = '/var/log/nginx/access.log'): LineBatch {
  return { source: 'web-1', file, fileId, lines, ack: () => {} };
}

function pipeline(telemetry = new CountingTelemetry()): Pipeline {
  // parse() never reaches the sink; a real one is given, never started.
  const sink = new ClickHouseSink({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'logpulse-pipeline-')) });
  return new Pipeline({ sink, consumers: [], telemetry, now: () => 1_000 });
}

describe('pipeline parsing', () => {
  it('gives the same bytes read twice the same event id, and identical lines at other offsets other ids', async () => {
    const p = pipeline();
    const first = await p.parse(batch([{ offset: 0, text: LINE }, { offset: 120, text: LINE }]));
    const again = await pipeline().parse(batch([{ offset: 120, text: LINE }]));
    expect(first).toHaveLength(2);
    expect(first[0]?.eventId).not.toBe(first[1]?.eventId);
    expect(again[0]?.eventId).toBe(first[1]?.eventId);
    expect(first[0]).toMatchObject({ source: 'web-1', file: '/var/log/nginx/access.log', offset: 0, section: '/pages', user: 'alice', bytes: 5123, receivedAt: 1_000, raw: LINE });
  });

  it('keeps two identical offset-less lines as two events with ids stable across a retry', async () => {
    const lines = [{ offset: -1, position: 0, text: LINE }, { offset: -1, position: LINE.length + 1, text: LINE }];
    const a = await pipeline().parse(batch(lines, 'stdin:web-1', ''));
    const b = await pipeline().parse(batch(lines, 'stdin:web-1', ''));
    expect(a.map((e) => e.eventId)).toEqual(b.map((e) => e.eventId));
    expect(new Set(a.map((e) => e.eventId)).size).toBe(2);
  });

  it('counts parsed, invalid and truncated lines and keeps the good lines around a bad one', async () => {
    const telemetry = new CountingTelemetry();
    const events = await pipeline(telemetry).parse(
      batch([
        { offset: 0, text: LINE },
        { offset: 120, text: 'garbage that is no access log line' },
        { offset: 160, text: LINE.slice(0, 60), truncated: true },
        { offset: 300, text: LINE },
      ]),
    );
    expect(events.map((e) => e.offset)).toEqual([0, 300]);
    expect(telemetry.outcomes).toEqual({ parsed: 2, invalid: 2, truncated: 1 });
    expect(telemetry.reasons).toHaveLength(2);
  });

  it('primes the parser of a W3C file resumed mid-file with its #Fields header', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logpulse-w3c-'));
    const file = path.join(dir, 'u_ex261122.log');
    const header = '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes\n';
    const row = '2026-11-22 10:00:00 192.0.2.1 GET /pages/a 200 512';
    writeFileSync(file, `${header}${row}\n${row}\n`);
    const events = await pipeline().parse(batch([{ offset: header.length + row.length + 1, text: row }], 'w3c-file', file));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ client: '192.0.2.1', section: '/pages', status: 200, bytes: 512, ts: Date.UTC(2026, 10, 22, 10) });
  });
});
