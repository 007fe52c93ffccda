import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ShipRequestError, ShipStats, statusLine, StatusLine } from '../../src/ship/index.js';

describe('the agent\'s status line', () => {
  it('says what was shipped, the lag and what is in flight, then the failure while it lasts', () => {
    const stats = new ShipStats();
    const figures = { stats, lagBytes: () => 13_002_342, inFlight: () => 8 };
    stats.sent(1_204_331, 250_000_000, 0);
    expect(statusLine(figures)).toBe('shipped 1,204,331 lines · lag 12.4 MiB · 8 in flight');
    const now = Date.now();
    stats.failed(new ShipRequestError('ship: central:4318: ECONNREFUSED', 0, undefined), 16_300);
    expect(statusLine(figures, now + 42_000)).toBe('shipped 1,204,331 lines · lag 12.4 MiB · 8 in flight · failing for 42s: ship: central:4318: ECONNREFUSED (retry in 16.3s)');
    stats.sent(10, 2000, 0);
    expect(statusLine(figures, now + 60_000)).toMatch(/· last error 60s ago: ship: central:4318: ECONNREFUSED$/);
  });

  it('redraws in place, cut to the terminal width, and leaves its last line on stop', () => {
    // A stand-in for the terminal: a stream with a width, recording what is written.
    const writes: string[] = [];
    const out = Object.assign(new Writable({ write: (chunk: Buffer, _enc, done) => { writes.push(chunk.toString()); done(); } }), { columns: 30 }) as unknown as NodeJS.WriteStream;
    const stats = new ShipStats();
    const line = new StatusLine({ stats, lagBytes: () => 0, inFlight: () => 0 }, out);
    line.start(60_000);
    stats.sent(5, 500, 0);
    line.stop();
    expect(writes[0]).toBe('\r\x1b[2Kshipped 0 lines · lag 0 B · 0');
    expect(writes[1]).toBe('\r\x1b[2Kshipped 5 lines · lag 0 B · 0');
    expect(writes.at(-1)).toBe('\n');
    for (const text of writes.slice(0, 2)) expect(text.length - '\r\x1b[2K'.length).toBeLessThanOrEqual(29);
  });
});
