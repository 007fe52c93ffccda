import { describe, expect, it, vi } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { TrafficAlert } from '../../src/alerts/index.js';
import type { Event } from '../../src/model/event.js';
import { T0, hit, prng, steady } from './traffic.js';

/** Bursts and lulls over 20 minutes: several firings and recoveries at a 30 s window. */
function burstyTimeline(): Event[] {
  const random = prng(7);
  const events: Event[] = [];
  for (let s = 0; s < 1200; s += 1) {
    const inBurst = Math.floor(s / 150) % 2 === 0;
    const rps = Math.floor(random() * (inBurst ? 30 : 8));
    for (let i = 0; i < rps; i += 1) events.push(hit((T0 + s) * 1000 + Math.floor(random() * 1000)));
  }
  return events.sort((a, b) => a.ts - b.ts);
}

function run(feed: (alert: TrafficAlert) => void): { transitions: AlertTransition[]; alert: TrafficAlert } {
  const transitions: AlertTransition[] = [];
  const alert = new TrafficAlert({ windowSeconds: 30, onTransition: (t) => transitions.push(t) });
  feed(alert);
  alert.finish();
  return { transitions, alert };
}

describe('traffic alert clock', () => {
  it('gives the same transitions for one batch, a trickle, random batches and lines shuffled within the lateness', () => {
    const timeline = burstyTimeline();
    const oneBatch = run((alert) => alert.consume(timeline));
    const trickle = run((alert) => timeline.forEach((e) => alert.consume([e])));
    const random = prng(11);
    const batches = run((alert) => {
      for (let i = 0; i < timeline.length; ) {
        const size = 1 + Math.floor(random() * 400);
        alert.consume(timeline.slice(i, i + size));
        i += size;
      }
    });
    // Each line moves by up to 2 s of arrival delay: it is never more than 2 s behind a line before it.
    const jitter = new Map(timeline.map((e) => [e, e.ts + Math.floor(random() * 2000)]));
    const shuffledOrder = [...timeline].sort((a, b) => jitter.get(a)! - jitter.get(b)!);
    expect(shuffledOrder).not.toEqual(timeline);
    const shuffled = run((alert) => shuffledOrder.forEach((e) => alert.consume([e])));

    expect(oneBatch.transitions.length).toBeGreaterThanOrEqual(4);
    expect(trickle.transitions).toEqual(oneBatch.transitions);
    expect(batches.transitions).toEqual(oneBatch.transitions);
    expect(shuffled.transitions).toEqual(oneBatch.transitions);
    for (const { alert } of [oneBatch, trickle, batches, shuffled]) {
      expect(alert.stats).toMatchObject({ countedEvents: timeline.length, lateEvents: 0 });
    }
  });

  it('recovers on wall-clock time when a live log goes quiet, at the second a replay gives', () => {
    let wallMs = 0;
    const live: AlertTransition[] = [];
    const alert = new TrafficAlert({ now: () => wallMs, onTransition: (t) => live.push(t) });
    // Live: each second's lines arrive in one batch at the end of that second.
    const events = steady(T0, 60, 30);
    for (let s = 0; s < 60; s += 1) {
      wallMs = (T0 + s + 1) * 1000;
      alert.consume(events.slice(s * 30, s * 30 + 30));
      alert.tick();
    }
    expect(live.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 40]]);

    // Quiet from here: the newest line is at T0+59.967 and arrived at wall T0+60, so wall T0+143
    // puts event time at T0+142.967 (evaluated through T0+139, still 10 req/s exactly) and
    // wall T0+144 evaluates T0+140, the first second below.
    for (let s = 61; s <= 143; s += 1) {
      wallMs = (T0 + s) * 1000;
      alert.tick();
    }
    expect(live).toHaveLength(1);
    wallMs = (T0 + 144) * 1000;
    alert.tick();
    expect(live.map((t) => [t.state, t.at / 1000 - T0])).toEqual([
      ['firing', 40],
      ['resolved', 140],
    ]);

    const replayed: AlertTransition[] = [];
    const replay = new TrafficAlert({ onTransition: (t) => replayed.push(t) });
    replay.consume(events);
    replay.consume([hit((T0 + 600) * 1000)]);
    expect(live).toEqual(replayed);
  });

  it('keeps event time moving forward when a line arrives behind the wall-clock advance', () => {
    let wallMs = T0 * 1000 + 400;
    const alert = new TrafficAlert({ now: () => wallMs });
    alert.consume([hit(T0 * 1000)]);
    wallMs += 10_000;
    alert.tick();
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + 7) * 1000);
    // A line stamped T0+9 (within the lateness of the advanced clock) still counts; time never goes back.
    alert.consume([hit((T0 + 9) * 1000)]);
    alert.tick();
    expect(alert.stats).toMatchObject({ countedEvents: 2, lateEvents: 0, evaluatedThroughMs: (T0 + 7) * 1000 });
    alert.consume([hit((T0 + 5) * 1000)]);
    expect(alert.stats.lateEvents).toBe(1);
  });

  it('ticks from its own timer between start and shutdown', async () => {
    let wallMs = (T0 + 10) * 1000;
    const transitions: AlertTransition[] = [];
    const alert = new TrafficAlert({ windowSeconds: 10, tickIntervalMs: 10, now: () => wallMs, onTransition: (t) => transitions.push(t) });
    alert.consume(steady(T0, 10, 20));
    alert.finish();
    expect(transitions.map((t) => t.state)).toEqual(['firing']);
    alert.start();
    alert.start();
    wallMs += 60_000;
    await vi.waitFor(() => expect(transitions.map((t) => t.state)).toEqual(['firing', 'resolved']), { timeout: 5000 });
    alert.shutdown();
    alert.shutdown();
    const evaluated = alert.stats.evaluatedThroughMs;
    wallMs += 60_000;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alert.stats.evaluatedThroughMs).toBe(evaluated);
  });
});
