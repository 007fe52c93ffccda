import { describe, expect, it } from 'vitest';
import {
  alertCrossings,
  DEFAULT_TRAFFIC_SCHEDULE,
  DEMO_DEFAULTS,
  inBurst,
  linesInSecond,
  linesUntil,
  rateAt,
  windowAverageAt,
  type TrafficSchedule,
} from '../../src/demo/index.js';

/** Window averages computed the slow way, second by second, to check the closed forms against. */
function bruteForceAverages(schedule: TrafficSchedule, seconds: number, window: number): number[] {
  const perSecond = Array.from({ length: seconds }, (_, s) => rateAt(schedule, s));
  return perSecond.map((_, s) => perSecond.slice(Math.max(0, s - window + 1), s + 1).reduce((a, b) => a + b, 0) / window);
}

describe('traffic schedule', () => {
  it('runs 40 s at the base rate, bursts for 70 s, then repeats every 220 s', () => {
    const s = DEFAULT_TRAFFIC_SCHEDULE;
    expect([s.baseRate, s.burstRate, s.burstSeconds, s.quietSeconds, s.firstBurstAfterSeconds]).toEqual([4, 25, 70, 150, 40]);
    const bursting = [0, 39, 40, 109, 110, 259, 260, 329, 330, 479, 480].map((second) => inBurst(s, second));
    expect(bursting).toEqual([false, false, true, true, false, false, true, true, false, false, true]);
    expect(linesUntil(s, 40)).toBe(160);
    expect(linesUntil(s, 110)).toBe(160 + 1750);
    expect(linesUntil(s, 260)).toBe(160 + 1750 + 600);
    expect(linesUntil(s, 480)).toBe(160 + 2 * (1750 + 600));
  });

  it('fires the default alert at second 81 and recovers at second 195, within five minutes of starting', () => {
    const { firesAtSecond, recoversAtSecond } = alertCrossings(DEFAULT_TRAFFIC_SCHEDULE, { thresholdRps: 10, windowSeconds: 120 });
    expect(firesAtSecond).toBe(81);
    expect(recoversAtSecond).toBe(195);
    expect((recoversAtSecond ?? Infinity) + 1).toBeLessThan(300);
    // The arithmetic of the comment in traffic_schedule.ts, second by second.
    expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, 80, 120)).toBe(1185 / 120);
    expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, 81, 120)).toBe(1210 / 120);
    expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, 159, 120)).toBe(16.25);
    expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, 194, 120)).toBe(1215 / 120);
    expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, 195, 120)).toBe(1194 / 120);
  });

  it('gives the same averages as adding up every second, over several cycles', () => {
    const expected = bruteForceAverages(DEFAULT_TRAFFIC_SCHEDULE, 700, 120);
    expected.forEach((average, second) => expect(windowAverageAt(DEFAULT_TRAFFIC_SCHEDULE, second, 120)).toBeCloseTo(average, 9));
    const firstAbove = expected.findIndex((a) => a > 10);
    const firstBackBelow = expected.findIndex((a, s) => s > firstAbove && a <= 10);
    expect([firstAbove, firstBackBelow]).toEqual([81, 195]);
  });

  it('uses the same schedule as the demo defaults', () => {
    expect(DEMO_DEFAULTS.rate).toBe(DEFAULT_TRAFFIC_SCHEDULE.baseRate);
    expect(DEMO_DEFAULTS.burstRate).toBe(DEFAULT_TRAFFIC_SCHEDULE.burstRate);
    expect(DEMO_DEFAULTS.burstSeconds).toBe(DEFAULT_TRAFFIC_SCHEDULE.burstSeconds);
    expect(DEMO_DEFAULTS.quietSeconds).toBe(DEFAULT_TRAFFIC_SCHEDULE.quietSeconds);
  });

  it('carries fractional rates from second to second so the count never drifts', () => {
    const schedule: TrafficSchedule = { baseRate: 2.5, burstRate: 0.1, burstSeconds: 30, quietSeconds: 30, firstBurstAfterSeconds: 10 };
    expect([0, 1, 2, 3].map((s) => linesInSecond(schedule, s))).toEqual([2, 3, 2, 3]);
    expect(linesUntil(schedule, 10)).toBe(25);
    // 30 burst seconds at 0.1/s: exactly 3 lines, whatever the float rounding of 0.1 * 30.
    expect(linesUntil(schedule, 40) - linesUntil(schedule, 10)).toBe(3);
    const total = Array.from({ length: 1000 }, (_, s) => linesInSecond(schedule, s)).reduce((a, b) => a + b, 0);
    expect(total).toBe(linesUntil(schedule, 1000));
  });

  it('stays at the base rate when bursts are turned off, and never fires below the threshold', () => {
    const steady: TrafficSchedule = { ...DEFAULT_TRAFFIC_SCHEDULE, burstSeconds: 0 };
    expect(linesUntil(steady, 600)).toBe(2400);
    expect(alertCrossings(steady)).toEqual({ firesAtSecond: undefined, recoversAtSecond: undefined });
  });
});
