import type { Event } from '../../src/model/event.js';

/** 2026-11-22T10:00:00Z, the first second of every timeline in these tests, in seconds. */
export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0) / 1000;

let nextId = 1n;

/** An access-log event as the combined-format parser produces it from an nginx line. */
export function hit(ts: number, fields: Partial<Event> = {}): Event {
  const offset = Number(nextId) * 97;
  return {
    kind: 'http',
    ts,
    vhost: '',
    client: '203.0.113.7',
    user: '',
    method: 'GET',
    path: '/pages/create',
    section: '/pages',
    status: 200,
    protocol: 'HTTP/1.1',
    bytes: 5120,
    referer: '-',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    direction: '',
    durationMs: 0,
    eventId: nextId++,
    receivedAt: ts,
    source: 'web-1',
    file: '/var/log/nginx/access.log',
    offset,
    raw: `203.0.113.7 - - [22/Nov/2026:10:00:00 +0000] "GET /pages/create HTTP/1.1" 200 5120 "-" "Mozilla/5.0"`,
    ...fields,
  };
}

/**
 * `rps` hits in each second of [fromSecond, fromSecond + seconds), spread evenly over the second,
 * in time order.
 */
export function steady(fromSecond: number, seconds: number, rps: number): Event[] {
  const events: Event[] = [];
  for (let s = fromSecond; s < fromSecond + seconds; s += 1) {
    for (let i = 0; i < rps; i += 1) events.push(hit(s * 1000 + Math.floor((i * 1000) / rps)));
  }
  return events;
}

/** A small deterministic PRNG (mulberry32), so shuffled timelines are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ISO time of second `T0 + offset`. */
export function iso(offsetSeconds: number): string {
  return new Date((T0 + offsetSeconds) * 1000).toISOString();
}
