import { describe, expect, it } from 'vitest';
import { IngestMinutes, OTHER_SOURCE, type IngestRow } from '../../src/pipeline/ingest_minutes.js';

const T = Date.UTC(2026, 10, 22, 10, 0, 0);

function tally(maxRows?: number): { minutes: IngestMinutes; rows: IngestRow[]; at: (ms: number) => void } {
  let nowMs = T;
  const rows: IngestRow[] = [];
  const minutes = new IngestMinutes({ now: () => nowMs, write: (r) => rows.push(...r), ...(maxRows === undefined ? {} : { maxRows }) });
  return { minutes, rows, at: (ms) => (nowMs = ms) };
}

describe('line counts per source and minute', () => {
  it('hands on a minute once it has closed, and the open one at shutdown', () => {
    const { minutes, rows, at } = tally();
    minutes.telemetry.linesRead('web-1', '/var/log/nginx/access.log', 5);
    minutes.telemetry.linesProcessed('web-1', 'parsed', 3);
    minutes.telemetry.linesProcessed('web-1', 'invalid', 2);
    minutes.telemetry.linesProcessed('web-1', 'truncated', 1);
    minutes.closePast();
    expect(rows).toEqual([]);
    at(T + 60_000);
    minutes.telemetry.linesRead('web-1', '/var/log/nginx/access.log', 1);
    minutes.telemetry.linesProcessed('web-1', 'expired', 1);
    minutes.closePast();
    expect(rows).toEqual([{ source: 'web-1', minuteMs: T, linesRead: 5, parsed: 3, invalid: 2, truncated: 1, expired: 0 }]);
    minutes.shutdown();
    expect(rows[1]).toEqual({ source: 'web-1', minuteMs: T + 60_000, linesRead: 1, parsed: 0, invalid: 0, truncated: 0, expired: 1 });
    minutes.shutdown();
    expect(rows).toHaveLength(2);
  });

  it('holds at most maxRows rows, the lines of further sources counted under (other)', () => {
    const { minutes, rows } = tally(3);
    for (let i = 0; i < 1000; i += 1) minutes.telemetry.linesRead(`198.51.100.${i}`, '', 1);
    minutes.shutdown();
    expect(rows.map((r) => [r.source, r.linesRead])).toEqual([['198.51.100.0', 1], ['198.51.100.1', 1], ['198.51.100.2', 1], [OTHER_SOURCE, 997]]);
  });
});
