import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/clickhouse/index.js';
import { listSavedQueries, loadSavedQuery, resolveRelativeTime } from '../../src/query/index.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { fixtureEvents, jsonRows, RecordingLogger, tempDir } from './sink_fixtures.js';

const dataDir = tempDir('saved-queries');
const range = { from: '2024-03-01 00:00:00.000', to: '2024-03-10 00:00:00.000' };
let store: Store;

async function run(name: string, overrides: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
  const query = await loadSavedQuery(name, { ...range, ...overrides });
  return jsonRows(await store.query(query.sql, query.values, 'JSONEachRow'));
}

beforeAll(async () => {
  // The fixture is from March 2024: a ten-year retention keeps it from expiring on arrival.
  const sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, host: 'recv-1', logger: new RecordingLogger() });
  await sink.start();
  await sink.write(fixtureEvents(), () => {});
  const alert = { alert: 'HighTraffic', thresholdRps: 10, windowSeconds: 120 };
  await sink.writeAlert({ ...alert, state: 'firing', value: 12.5, at: Date.UTC(2024, 2, 4, 9, 16), message: 'High traffic generated an alert - hits = 12.5, triggered at 2024-03-04T09:16:00.000Z' });
  await sink.writeAlert({ ...alert, state: 'resolved', value: 8.25, at: Date.UTC(2024, 2, 4, 9, 20), message: 'Traffic recovered - hits = 8.25, recovered at 2024-03-04T09:20:00.000Z' });
  await sink.shutdown();
  store = await openStore({ dataDir, readonly: true });
});

afterAll(async () => {
  await store.close();
});

describe('saved queries', () => {
  it('lists every saved query with its description and parameters', async () => {
    const queries = await listSavedQueries();
    expect(queries.map((q) => q.name)).toEqual([
      'activity_per_day_and_hour', 'alert_history', 'average_transfer_size', 'client_addresses_per_user',
      'error_rates', 'top_sections', 'top_vhosts', 'transfers_per_user', 'users_active_per_day',
    ]);
    for (const query of queries) expect(query.description).not.toBe('');
    expect(queries.find((q) => q.name === 'transfers_per_user')?.params).toEqual([
      { name: 'from', type: "DateTime64(3, 'UTC')", default: 'now-30d' },
      { name: 'to', type: "DateTime64(3, 'UTC')", default: 'now' },
      { name: 'user', type: 'String', default: '' },
      { name: 'limit', type: 'UInt32', default: '100' },
    ]);
    expect(queries.find((q) => q.name === 'top_vhosts')?.params.map((p) => `${p.name}=${p.default}`)).toEqual(['from=now-1d', 'to=now', 'source=', 'limit=20']);
    expect(queries.find((q) => q.name === 'top_sections')?.params.map((p) => `${p.name}=${p.default}`)).toEqual(['from=now-1d', 'to=now', 'source=', 'vhost=', 'limit=20']);
  });

  it('fills in defaults, from 30 days ago to now', async () => {
    const now = Date.UTC(2024, 5, 30, 12, 0, 0, 250);
    const query = await loadSavedQuery('users_active_per_day', {}, { now });
    expect(query.values).toEqual({ from: '2024-05-31 12:00:00.250', to: '2024-06-30 12:00:00.250' });
    expect(resolveRelativeTime('now-12h', now)).toBe('2024-06-30 00:00:00.250');
    expect(resolveRelativeTime('2024-01-01 00:00:00', now)).toBe('2024-01-01 00:00:00');
  });

  it('refuses an unknown query name or parameter', async () => {
    await expect(loadSavedQuery('../schema')).rejects.toThrow('clickhouse query: no saved query "../schema"');
    await expect(loadSavedQuery('top_sections', { usr: 'x' })).rejects.toThrow('saved query top_sections has no parameter "usr"');
  });

  it('users_active_per_day counts distinct users per day', async () => {
    expect(await run('users_active_per_day')).toEqual([
      { day: '2024-03-04', active_users: 3, events: 5 },
      { day: '2024-03-05', active_users: 3, events: 4 },
    ]);
  });

  it('transfers_per_user splits uploads and downloads, for everyone or one user', async () => {
    const alice = { user: 'alice', transfers: 3, uploads: 2, downloads: 1, upload_bytes: 1572864, download_bytes: 2048, total_bytes: 1574912 };
    const bob = { user: 'bob', transfers: 2, uploads: 1, downloads: 1, upload_bytes: 4096, download_bytes: 8192, total_bytes: 12288 };
    expect(await run('transfers_per_user')).toEqual([alice, bob]);
    expect(await run('transfers_per_user', { user: 'bob' })).toEqual([bob]);
    expect(await run('transfers_per_user', { limit: '1' })).toEqual([alice]);
  });

  it('client_addresses_per_user lists where each user came from', async () => {
    expect(await run('client_addresses_per_user')).toEqual([
      { user: 'alice', client: '192.0.2.10', events: 2, first_seen: '2024-03-04 10:20:00.000', last_seen: '2024-03-04 10:25:00.000' },
      { user: 'alice', client: '192.0.2.11', events: 1, first_seen: '2024-03-05 14:10:00.000', last_seen: '2024-03-05 14:10:00.000' },
      { user: 'alice', client: '198.51.100.23', events: 1, first_seen: '2024-03-04 09:59:59.999', last_seen: '2024-03-04 09:59:59.999' },
      { user: 'bob', client: '192.0.2.44', events: 2, first_seen: '2024-03-04 10:30:00.000', last_seen: '2024-03-05 14:20:00.000' },
      { user: 'james', client: '203.0.113.7', events: 2, first_seen: '2024-03-04 09:15:02.120', last_seen: '2024-03-05 14:00:00.500' },
      { user: 'james', client: '203.0.113.9', events: 1, first_seen: '2024-03-05 14:00:01.000', last_seen: '2024-03-05 14:00:01.000' },
    ]);
    expect((await run('client_addresses_per_user', { user: 'bob' })).map((row) => row.client)).toEqual(['192.0.2.44']);
  });

  it('average_transfer_size gives count, mean, largest and total per direction', async () => {
    expect(await run('average_transfer_size')).toEqual([
      { direction: 'download', transfers: 2, avg_bytes: 5120, max_bytes: 8192, total_bytes: 10240 },
      { direction: 'upload', transfers: 3, avg_bytes: 525653.3, max_bytes: 1048576, total_bytes: 1576960 },
    ]);
  });

  it('activity_per_day_and_hour buckets requests and transfers by UTC hour', async () => {
    expect(await run('activity_per_day_and_hour')).toEqual([
      { day: '2024-03-04', hour: 9, requests: 3, transfers: 0, bytes: 1600, active_users: 2 },
      { day: '2024-03-04', hour: 10, requests: 1, transfers: 3, bytes: 1059840, active_users: 2 },
      { day: '2024-03-05', hour: 14, requests: 2, transfers: 2, bytes: 533780, active_users: 3 },
    ]);
  });

  it('top_sections ranks sections by hits with bytes and error rate', async () => {
    expect(await run('top_sections')).toEqual([
      { section: '/pages', hits: 3, bytes: 2810, error_rate: 0.3333 },
      { section: '/api', hits: 2, bytes: 90, error_rate: 1 },
      { section: '/', hits: 1, bytes: 5120, error_rate: 0 },
    ]);
    expect(await run('top_sections', { source: 'web-2' })).toEqual([{ section: '/', hits: 1, bytes: 5120, error_rate: 0 }]);
  });

  it('top_sections keeps ranking every site together, and narrows to one virtual host when asked', async () => {
    expect(await run('top_sections', { vhost: 'api.example.com' })).toEqual([{ section: '/api', hits: 2, bytes: 90, error_rate: 1 }]);
    expect(await run('top_sections', { vhost: 'www.example.com' })).toEqual([{ section: '/pages', hits: 3, bytes: 2810, error_rate: 0.3333 }]);
    expect(await run('top_sections', { vhost: 'nowhere.example.com' })).toEqual([]);
  });

  it('top_vhosts ranks virtual hosts by hits with bytes, error rate and distinct clients', async () => {
    const www = { vhost: 'www.example.com', hits: 3, bytes: 2810, error_rate: 0.3333, clients: 1 };
    const api = { vhost: 'api.example.com', hits: 2, bytes: 90, error_rate: 1, clients: 2 };
    // web-2 logs no virtual host: its request is in no row rather than in a row named ''.
    expect(await run('top_vhosts')).toEqual([www, api]);
    expect(await run('top_vhosts', { limit: '1' })).toEqual([www]);
    expect(await run('top_vhosts', { source: 'web-2' })).toEqual([]);
    expect(await run('top_vhosts', { from: '2024-03-05 00:00:00.000' })).toEqual([
      { vhost: 'api.example.com', hits: 1, bytes: 0, error_rate: 1, clients: 1 },
      { vhost: 'www.example.com', hits: 1, bytes: 1300, error_rate: 0, clients: 1 },
    ]);
  });

  it('error_rates separates client and server errors per day and host', async () => {
    expect(await run('error_rates')).toEqual([
      { day: '2024-03-04', source: 'web-1', requests: 3, client_errors: 1, server_errors: 1, error_rate: 0.6667 },
      { day: '2024-03-04', source: 'web-2', requests: 1, client_errors: 0, server_errors: 0, error_rate: 0 },
      { day: '2024-03-05', source: 'web-1', requests: 2, client_errors: 0, server_errors: 1, error_rate: 0.5 },
    ]);
  });

  it('alert_history lists transitions in time order', async () => {
    expect(await run('alert_history')).toEqual([
      { at: '2024-03-04 09:16:00.000', host: 'recv-1', alert: 'HighTraffic', state: 'firing', value: 12.5, threshold_rps: 10, window_seconds: 120, message: 'High traffic generated an alert - hits = 12.5, triggered at 2024-03-04T09:16:00.000Z' },
      { at: '2024-03-04 09:20:00.000', host: 'recv-1', alert: 'HighTraffic', state: 'resolved', value: 8.25, threshold_rps: 10, window_seconds: 120, message: 'Traffic recovered - hits = 8.25, recovered at 2024-03-04T09:20:00.000Z' },
    ]);
  });

  it('returns nothing outside the time range', async () => {
    expect(await run('users_active_per_day', { from: '2024-03-05 00:00:00.000', to: '2024-03-05 14:00:00.600' })).toEqual([
      { day: '2024-03-05', active_users: 1, events: 1 },
    ]);
  });
});
