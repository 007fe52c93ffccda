import { describe, expect, it, vi } from 'vitest';
import type { PeriodSnapshot } from '../../src/ui/index.js';
import { PeriodStats, ViewConfigError } from '../../src/ui/index.js';
import { START_MS, request, transfer } from './events.js';

/** A mixed period: web traffic from three clients and two users, SFTP from two users. */
function mixedTraffic() {
  return [
    request('/pages/create', '/pages', 200, 1000, { user: 'james', client: '203.0.113.7' }),
    request('/pages/edit?id=3', '/pages', 200, 2000, { user: 'james', client: '203.0.113.7' }),
    request('/pages/view', '/pages', 304, 0, { client: '203.0.113.7' }),
    request('/api/user', '/api', 404, 150, { user: 'mary', client: '2001:db8::1' }),
    request('/api/user', '/api', 503, 50, { client: '2001:db8::1' }),
    request('/report', '/report', 200, 123, { client: '198.51.100.4' }),
    request('/favicon.ico', '/favicon.ico', 0, 0, { client: '198.51.100.4' }),
    transfer('upload', 'alice', 10_485_760),
    transfer('upload', 'alice', 2_000_000),
    transfer('download', 'alice', 500_000),
    transfer('download', 'bob', 3_000_000),
    { ...transfer('upload', 'carol', 0), direction: '' as const },
  ];
}

describe('period stats', () => {
  it('sums a period of web and SFTP traffic', () => {
    let wallMs = START_MS;
    const stats = new PeriodStats({ now: () => wallMs, topN: 2 });
    const events = mixedTraffic();
    stats.consume(events.slice(0, 5));
    stats.consume(events.slice(5));
    stats.countInvalid(3);
    wallMs += 10_000;

    const snapshot = stats.cut();
    expect(snapshot).toEqual<PeriodSnapshot>({
      startMs: START_MS,
      endMs: START_MS + 10_000,
      hits: 7,
      requestsPerSecond: 0.7,
      bytes: 3323,
      statusClasses: { '2xx': 3, '3xx': 1, '4xx': 1, '5xx': 1, other: 1 },
      // No request named a virtual host: the list stays empty and the view leaves its line out.
      topVhosts: [],
      topSections: [
        { key: '/pages', hits: 3, bytes: 3000 },
        { key: '/api', hits: 2, bytes: 200 },
      ],
      topUsers: [
        { key: 'james', hits: 2, bytes: 3000 },
        { key: 'mary', hits: 1, bytes: 150 },
      ],
      topClients: [
        { key: '203.0.113.7', hits: 3, bytes: 3000 },
        { key: '2001:db8::1', hits: 2, bytes: 200 },
      ],
      transfers: {
        uploads: 2,
        downloads: 2,
        bytesUp: 12_485_760,
        bytesDown: 3_500_000,
        topUsers: [
          { user: 'alice', uploads: 2, downloads: 1, bytesUp: 12_485_760, bytesDown: 500_000 },
          { user: 'bob', uploads: 0, downloads: 1, bytesUp: 0, bytesDown: 3_000_000 },
        ],
      },
      invalidLines: 3,
    });
  });

  it('starts each period from zero', () => {
    let wallMs = START_MS;
    const stats = new PeriodStats({ now: () => wallMs });
    stats.consume(mixedTraffic());
    wallMs += 10_000;
    stats.cut();
    stats.consume([request('/', '/', 200, 10)]);
    wallMs += 4_000;
    const next = stats.cut();
    expect(next).toMatchObject({ startMs: START_MS + 10_000, endMs: START_MS + 14_000, hits: 1, requestsPerSecond: 0.25, bytes: 10, invalidLines: 0 });
    expect(next.topSections).toEqual([{ key: '/', hits: 1, bytes: 10 }]);
    expect(next.transfers).toEqual({ uploads: 0, downloads: 0, bytesUp: 0, bytesDown: 0, topUsers: [] });
  });

  it('counts keys past the per-period cap under (other)', () => {
    const stats = new PeriodStats({ maxKeysPerPeriod: 3, topN: 10 });
    const scan = Array.from({ length: 50 }, (_, i) => request(`/probe${i}/x`, `/probe${i}`, 404, 10, { client: `192.0.2.${i}` }));
    stats.consume(scan);
    const snapshot = stats.cut();
    expect(snapshot.topSections).toEqual([
      { key: '(other)', hits: 47, bytes: 470 },
      { key: '/probe0', hits: 1, bytes: 10 },
      { key: '/probe1', hits: 1, bytes: 10 },
      { key: '/probe2', hits: 1, bytes: 10 },
    ]);
    expect(snapshot.topClients).toHaveLength(4);
    expect(snapshot.hits).toBe(50);
  });

  it('ranks the virtual hosts of the requests that name one', () => {
    const stats = new PeriodStats({ topN: 2 });
    stats.consume([
      request('/products/42', '/products', 200, 8210, { vhost: 'shop.example.com' }),
      request('/products/7', '/products', 200, 4000, { vhost: 'shop.example.com' }),
      request('/v1/orders', '/v1', 201, 98, { vhost: 'api.example.com' }),
      request('/', '/', 400, 157, { vhost: '_' }),
      request('/', '/', 200, 612),
      transfer('upload', 'alice', 1_000, { vhost: 'sftp.example.com' }),
    ]);
    const snapshot = stats.cut();
    expect(snapshot.topVhosts).toEqual([
      { key: 'shop.example.com', hits: 2, bytes: 12_210 },
      { key: '_', hits: 1, bytes: 157 },
    ]);
    expect(snapshot.hits).toBe(5);
    expect(stats.cut().topVhosts).toEqual([]);
  });

  it('counts virtual hosts past the per-period cap under (other)', () => {
    const stats = new PeriodStats({ maxKeysPerPeriod: 2, topN: 10 });
    // Every Host header a scanner makes up is a vhost for nginx's $host: the map must not follow it.
    stats.consume(Array.from({ length: 30 }, (_, i) => request('/', '/', 404, 10, { vhost: `probe-${i}.example.net` })));
    expect(stats.cut().topVhosts).toEqual([
      { key: '(other)', hits: 28, bytes: 280 },
      { key: 'probe-0.example.net', hits: 1, bytes: 10 },
      { key: 'probe-1.example.net', hits: 1, bytes: 10 },
    ]);
  });

  it('hands out a snapshot every period and the partial last one at shutdown', async () => {
    const snapshots: PeriodSnapshot[] = [];
    const stats = new PeriodStats({ periodSeconds: 0.05, onSnapshot: (s) => snapshots.push(s) });
    stats.start();
    stats.consume([request('/', '/', 200, 10)]);
    await vi.waitFor(() => expect(snapshots.length).toBeGreaterThanOrEqual(1), { timeout: 5000 });
    expect(snapshots[0]?.hits).toBe(1);
    const before = snapshots.length;
    stats.consume([request('/', '/', 500, 10)]);
    stats.shutdown();
    stats.shutdown();
    // The second request is in the final snapshot, whether or not a timer period closed in between.
    expect(snapshots.reduce((sum, s) => sum + s.hits, 0)).toBe(2);
    expect(snapshots.length).toBeGreaterThan(before);
  });

  it('rejects a period that is not a positive number of seconds', () => {
    expect(() => new PeriodStats({ periodSeconds: 0 })).toThrow(ViewConfigError);
    expect(() => new PeriodStats({ periodSeconds: 0 })).toThrow('terminal view: periodSeconds: expected a positive number of seconds, got 0');
  });
});
