import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { FUTURE_TOLERANCE_MS, TrafficAlert } from '../../src/alerts/index.js';
import type { ReceiverTelemetry } from '../../src/model/telemetry.js';
import { T0, hit } from './traffic.js';

/** Counts what the alert reports through the telemetry interface (the receiver's metrics do the same). */
function futureCounter(): { telemetry: Pick<ReceiverTelemetry, 'futureEvents'>; bySource: Map<string, number> } {
  const bySource = new Map<string, number>();
  return { bySource, telemetry: { futureEvents: (source, count) => bySource.set(source, (bySource.get(source) ?? 0) + count) } };
}

describe('traffic alert and lines from the future', () => {
  it('still fires on 30,000 lines in 15 s after one line stamped two hours ahead', () => {
    let wallMs = T0 * 1000;
    const transitions: AlertTransition[] = [];
    const { telemetry, bySource } = futureCounter();
    const alert = new TrafficAlert({ now: () => wallMs, telemetry, onTransition: (t) => transitions.push(t) });
    // A host with its clock two hours ahead (or a mistyped time zone) writes one line.
    alert.consume([hit((T0 + 2 * 3600) * 1000, { source: 'web-2' })]);
    // Then 2,000 lines a second for 15 s, each second's lines arriving at its end, as a live tail reads them.
    for (let s = 0; s < 15; s += 1) {
      wallMs = (T0 + s + 1) * 1000;
      const second = Array.from({ length: 2000 }, (_, i) => hit((T0 + s) * 1000 + Math.floor(i / 2)));
      alert.consume(second);
      alert.tick();
    }
    // 2,000 lines in the 2-minute window are 16.67 req/s: above 10 from the first second's lines on.
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 0]]);
    expect(alert.stats).toMatchObject({ countedEvents: 30_000, lateEvents: 0, futureEvents: 1, firing: true });
    expect(Object.fromEntries(bySource)).toEqual({ 'web-2': 1 });
  });

  it(`counts a line within ${FUTURE_TOLERANCE_MS / 60_000} minutes of the wall clock and leaves out one beyond`, () => {
    const wallMs = T0 * 1000;
    const { telemetry, bySource } = futureCounter();
    const alert = new TrafficAlert({ now: () => wallMs, telemetry });
    alert.consume([hit(wallMs + FUTURE_TOLERANCE_MS), hit(wallMs + FUTURE_TOLERANCE_MS + 1), hit(wallMs + 86_400_000)]);
    expect(alert.stats).toMatchObject({ countedEvents: 1, futureEvents: 2 });
    expect(bySource.get('web-1')).toBe(2);
  });

  it('takes its tolerance from the options and checks it', () => {
    const wallMs = T0 * 1000;
    const alert = new TrafficAlert({ now: () => wallMs, futureToleranceMs: 1000 });
    alert.consume([hit(wallMs + 1000), hit(wallMs + 1001)]);
    expect(alert.stats).toMatchObject({ countedEvents: 1, futureEvents: 1 });
    expect(() => new TrafficAlert({ futureToleranceMs: -5 })).toThrow('traffic alert: futureToleranceMs: expected a positive number of milliseconds, got -5');
  });

  it('leaves a line from the future out of a batch import too', () => {
    const transitions: AlertTransition[] = [];
    const alert = new TrafficAlert({ windowSeconds: 10, batch: true, now: () => (T0 + 3600) * 1000, onTransition: (t) => transitions.push(t) });
    alert.consume([hit((T0 + 30 * 86_400) * 1000)]);
    for (let s = 0; s < 10; s += 1) alert.consume(Array.from({ length: 20 }, (_, i) => hit((T0 + s) * 1000 + i * 50)));
    alert.finish();
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 5]]);
    expect(alert.stats).toMatchObject({ futureEvents: 1, evaluatedThroughMs: (T0 + 9) * 1000 });
  });
});
