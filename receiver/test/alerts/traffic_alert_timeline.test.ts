import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { AlertConfigError, TrafficAlert } from '../../src/alerts/index.js';
import type { TrafficAlertOptions } from '../../src/alerts/index.js';
import { T0, hit, iso, steady } from './traffic.js';

function evaluator(options: TrafficAlertOptions = {}): { alert: TrafficAlert; transitions: AlertTransition[] } {
  const transitions: AlertTransition[] = [];
  const alert = new TrafficAlert({ ...options, onTransition: (t) => transitions.push(t) });
  return { alert, transitions };
}

describe('traffic alert timeline', () => {
  it('fires at the first second the 120 s average passes 10 req/s and recovers at the first second below', () => {
    const { alert, transitions } = evaluator();
    // 30 req/s during T0 .. T0+59. The window (t-120, t] holds 30·(k+1) hits at T0+k while k < 60:
    // 30·41/120 = 10.25 > 10 first at k = 40 (30·40/120 = 10 exactly is not above).
    // Afterwards the window keeps the seconds t-119 .. T0+59, i.e. T0+179-t of them:
    // at T0+139 that is 40 s, 1200/120 = 10 exactly (no change); at T0+140, 39 s: 1170/120 = 9.75.
    alert.consume(steady(T0, 60, 30));
    alert.consume([hit((T0 + 300) * 1000)]);

    expect(transitions).toEqual([
      {
        alert: 'HighTraffic',
        state: 'firing',
        value: 10.25,
        at: (T0 + 40) * 1000,
        thresholdRps: 10,
        windowSeconds: 120,
        message: `High traffic generated an alert - hits = 10.25, triggered at ${iso(40)}`,
      },
      {
        alert: 'HighTraffic',
        state: 'resolved',
        value: 9.75,
        at: (T0 + 140) * 1000,
        thresholdRps: 10,
        windowSeconds: 120,
        message: `Traffic recovered - hits = 9.75, recovered at ${iso(140)}`,
      },
    ]);
    expect(transitions[0]?.message).toBe('High traffic generated an alert - hits = 10.25, triggered at 2026-11-22T10:00:40.000Z');
    expect(transitions[1]?.message).toBe('Traffic recovered - hits = 9.75, recovered at 2026-11-22T10:02:20.000Z');
  });

  it('rounds the average to two decimals in the texts', () => {
    const { alert, transitions } = evaluator();
    // 15 req/s for 200 s: 15·81/120 = 10.125 at T0+80 is the first average above 10.
    // After the traffic ends (last second T0+199) the window holds T0+319-t seconds:
    // 15·80/120 = 10 at T0+239, 15·79/120 = 9.875 at T0+240.
    alert.consume(steady(T0, 200, 15));
    alert.consume([hit((T0 + 400) * 1000)]);

    expect(transitions.map((t) => t.message)).toEqual([
      `High traffic generated an alert - hits = 10.13, triggered at ${iso(80)}`,
      `Traffic recovered - hits = 9.88, recovered at ${iso(240)}`,
    ]);
    expect(transitions.map((t) => t.value)).toEqual([10.125, 9.875]);
  });

  it('does not fire on a flat line exactly at the threshold', () => {
    const { alert, transitions } = evaluator();
    alert.consume(steady(T0, 600, 10));
    alert.consume([hit((T0 + 900) * 1000)]);
    alert.finish();
    expect(transitions).toEqual([]);
    expect(alert.stats.countedEvents).toBe(6001);
  });

  it('stays firing while the average sits exactly at the threshold and recovers once it drops below', () => {
    const { alert, transitions } = evaluator({ windowSeconds: 10 });
    // 20 req/s during T0 .. T0+9: 20·6/10 = 12 > 10 first at T0+5.
    // 10 req/s during T0+10 .. T0+99: from T0+19 the window holds only 10 req/s seconds, 100/10 = 10
    // exactly, which changes nothing. At T0+100 the window holds 9 such seconds: 90/10 = 9.
    alert.consume([...steady(T0, 10, 20), ...steady(T0 + 10, 90, 10)]);
    alert.consume([hit((T0 + 200) * 1000)]);

    expect(transitions.map((t) => [t.state, t.at / 1000 - T0, t.value])).toEqual([
      ['firing', 5, 12],
      ['resolved', 100, 9],
    ]);
  });

  it('counts only HTTP events', () => {
    const { alert, transitions } = evaluator({ windowSeconds: 10 });
    const transfers = steady(T0, 30, 50).map((e) => ({ ...e, kind: 'transfer' as const, direction: 'upload' as const }));
    alert.consume(transfers);
    alert.finish();
    expect(transitions).toEqual([]);
    expect(alert.stats.countedEvents).toBe(0);
  });

  it('counts lines older than the evaluated watermark as late and ignores them', () => {
    const { alert } = evaluator();
    alert.consume([hit((T0 + 10) * 1000)]);
    // The clock is at T0+10 with 2 s allowed: T0+7 and earlier are evaluated, T0+8 is still open.
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + 7) * 1000);
    alert.consume([hit((T0 + 7) * 1000 + 999), hit((T0 + 8) * 1000), hit(Number.NaN)]);
    expect(alert.stats).toMatchObject({ countedEvents: 2, lateEvents: 2 });
  });

  it('ends a finished import with the alerts of its last seconds, without inventing quiet time', () => {
    const { alert, transitions } = evaluator({ windowSeconds: 10 });
    // 20 req/s during T0 .. T0+5 crosses 10 req/s at T0+5 (120/10 = 12), the file's last second.
    alert.consume(steady(T0, 6, 20));
    expect(transitions).toEqual([]);
    alert.finish();
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 5]]);
    expect(alert.stats).toMatchObject({ firing: true, evaluatedThroughMs: (T0 + 5) * 1000 });
  });

  it('recovers at the exact second after a gap of years between two lines', () => {
    // Replayed after both lines were written: the second one is not from the future.
    const { alert, transitions } = evaluator({ now: () => (T0 + 8 * 365 * 86_400 + 60) * 1000 });
    alert.consume(steady(T0, 60, 30));
    alert.consume([hit((T0 + 8 * 365 * 86_400) * 1000)]);
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([
      ['firing', 40],
      ['resolved', 140],
    ]);
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + 8 * 365 * 86_400 - 3) * 1000);
  });

  it('honours a configured threshold and window', () => {
    const { alert, transitions } = evaluator({ thresholdRps: 2.5, windowSeconds: 4 });
    // 3 req/s from T0: 3·4/4 = 3 > 2.5 first at T0+3 (9/4 = 2.25 at T0+2 is below).
    alert.consume(steady(T0, 20, 3));
    alert.finish();
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ state: 'firing', at: (T0 + 3) * 1000, value: 3, thresholdRps: 2.5, windowSeconds: 4 });
  });

  it('with no lateness allowed, evaluates a second as soon as a newer one arrives', () => {
    const { alert, transitions } = evaluator({ windowSeconds: 10, allowedLatenessSeconds: 0 });
    alert.consume(steady(T0, 10, 20));
    // The clock is at T0+9: everything before it is evaluated, and 20·6/10 = 12 fired at T0+5.
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 5]]);
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + 8) * 1000);
    alert.consume([hit((T0 + 8) * 1000 + 500), hit((T0 + 9) * 1000 + 500)]);
    expect(alert.stats).toMatchObject({ lateEvents: 1, countedEvents: 201 });
    alert.consume([hit((T0 + 30) * 1000)]);
    // The window of T0+14 (T0+5 .. T0+14) holds 5·20 + 1 = 101 hits (10.1 req/s); that of T0+15
    // holds 4·20 + 1 = 81 (8.1 req/s), the first average below 10.
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0, t.value])).toEqual([
      ['firing', 5, 12],
      ['resolved', 15, 8.1],
    ]);
  });

  it('rejects options out of range with the key and the value seen', () => {
    expect(() => new TrafficAlert({ thresholdRps: 0 })).toThrow(
      new AlertConfigError('thresholdRps', 'a positive number of requests per second', 0),
    );
    expect(() => new TrafficAlert({ thresholdRps: 0 })).toThrow(
      'traffic alert: thresholdRps: expected a positive number of requests per second, got 0',
    );
    expect(() => new TrafficAlert({ windowSeconds: 1.5 })).toThrow(
      'traffic alert: windowSeconds: expected a positive whole number of seconds, got 1.5',
    );
    expect(() => new TrafficAlert({ allowedLatenessSeconds: -1 })).toThrow(
      'traffic alert: allowedLatenessSeconds: expected a whole number of seconds, 0 or more, got -1',
    );
  });
});
