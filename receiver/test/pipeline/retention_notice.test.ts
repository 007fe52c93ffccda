import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RetentionNotice } from '../../src/pipeline/retention_notice.js';
import type { Event } from '../../src/pipeline/event.js';

function logCollector(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(stream), lines };
}

const NOW = Date.UTC(2026, 10, 22, 12);
const event = (ts: number) => ({ ts }) as Event;

describe('retention notice', () => {
  it('warns once per interval about events older than the retention, with their count and the oldest time', () => {
    let now = NOW;
    const { logger, lines } = logCollector();
    const notice = new RetentionNotice(logger, 365, 60_000, () => now);
    notice.consume([event(NOW - 10_000), event(Date.UTC(2024, 8, 18)), event(Date.UTC(2024, 8, 17))]);
    notice.consume([event(Date.UTC(2024, 8, 19))]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ events: 2, oldest: '2024-09-17T00:00:00.000Z', retentionDays: 365 });
    now += 61_000;
    notice.consume([event(Date.UTC(2024, 8, 20))]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ events: 2 });
  });

  it('says nothing about events within the retention', () => {
    const { logger, lines } = logCollector();
    new RetentionNotice(logger, 30, 60_000, () => NOW).consume([event(NOW - 29 * 86_400_000), event(NOW)]);
    expect(lines).toEqual([]);
  });
});
