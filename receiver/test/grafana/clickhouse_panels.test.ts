import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, encodeEvents } from '../../src/sinks/encoders/row_encoder.js';
import { panelQueries, readCommittedDashboards } from './dashboard_walk.js';
import type { PanelQuery } from './dashboard_walk.js';
import { allFixtureEvents, fixtureDay } from './fixture_events.js';
import { expandClickHouseSql } from './grafana_macros.js';
import type { ClickHouseContext, Selection } from './grafana_macros.js';

/**
 * Every ClickHouse query of the dashboards, expanded as Grafana's ClickHouse plugin expands it, run
 * on chDB against the repository's clickhouse/schema.sql holding the parsed fixture logs, written
 * as the ClickHouse sink encodes them.
 */
const SCHEMA = new URL('../../../clickhouse/schema.sql', import.meta.url).pathname;

type Row = Record<string, string | number>;

/** The dashboard range of the test: both fixture days. */
const FIXTURE_DAYS: ClickHouseContext = {
  fromMs: fixtureDay(0),
  toMs: fixtureDay(2) - 1,
  intervalSeconds: 3600,
  variables: { user: 'All' },
};

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Dashboards with variables of their own; site_report_panels.test.ts runs their queries. */
const OTHER_VARIABLES = ['site_report.json', 'logs.json'];

function userActivityQueries(): PanelQuery[] {
  return panelQueries(readCommittedDashboards(), 'grafana-clickhouse-datasource').filter(
    (q) => !OTHER_VARIABLES.some((file) => q.where.startsWith(`${file} `)),
  );
}

function queryOf(title: string): PanelQuery {
  const query = userActivityQueries().find((q) => q.where.includes(`"${title}"`));
  if (query === undefined) throw new Error(`no ClickHouse panel "${title}"`);
  return query;
}

describe('ClickHouse panels', () => {
  let dir: string;
  let session: Session;

  const run = async (sql: string): Promise<Row[]> => {
    const result = await session.queryAsync(sql, { format: 'JSONEachRow' });
    return result
      .text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Row);
  };
  const runPanel = (title: string, user: Selection = 'All', range: Partial<ClickHouseContext> = {}): Promise<Row[]> =>
    run(expandClickHouseSql(queryOf(title).target.rawSql ?? '', { ...FIXTURE_DAYS, ...range, variables: { user } }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logpulse-grafana-chdb-'));
    session = new Session(dir);
    let ddl: string;
    try {
      ddl = readFileSync(SCHEMA, 'utf8');
    } catch (cause) {
      throw new Error(`clickhouse/schema.sql: cannot read the schema the dashboards query`, { cause });
    }
    session.query(ddl);
    // The rows exactly as the ClickHouse sink encodes them.
    const events = allFixtureEvents();
    await session.insert({
      table: 'logpulse.events',
      values: encodeEvents([{ events, start: 0, end: events.length }], events.length),
      format: 'TabSeparated',
      columns: EVENT_COLUMNS,
    });
  });

  afterAll(async () => {
    session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every ClickHouse query of the dashboards and gets rows', async () => {
    const queries = userActivityQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const empty: string[] = [];
    for (const query of queries) {
      for (const user of ['All', ['alice'], ['alice', 'bob']] as const) {
        const rows = await run(expandClickHouseSql(query.target.rawSql ?? '', { ...FIXTURE_DAYS, variables: { user } }));
        if (rows.length === 0) empty.push(`${query.where} (user ${String(user)})`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('lists the users of the range in the user variable, with an escaped quote surviving', async () => {
    const variable = readCommittedDashboards().get('user_activity.json')?.templating?.list?.find((v) => v.name === 'user');
    const rows = await run(expandClickHouseSql(String(variable?.query), FIXTURE_DAYS));
    expect(rows.map((r) => r['user'])).toEqual(['alice', 'bob', "o'brien"]);
  });

  it('counts active users, transfers and bytes over the range', async () => {
    expect(await runPanel('Active users')).toEqual([{ active_users: 3 }]);
    expect(await runPanel('Transfers')).toEqual([{ transfers: 5 }]);
    expect(Number((await runPanel('Uploaded'))[0]?.['uploaded_bytes'])).toBe(10_485_760 + 52_428_800);
    expect(Number((await runPanel('Downloaded'))[0]?.['downloaded_bytes'])).toBe(2_097_152 + 1_048_576 + 524_288);
  });

  it('narrows every figure to the time range', async () => {
    const secondDay = { fromMs: fixtureDay(1), toMs: fixtureDay(2) - 1 };
    expect(await runPanel('Transfers', 'All', secondDay)).toEqual([{ transfers: 2 }]);
    expect(await runPanel('Active users', 'All', secondDay)).toEqual([{ active_users: 2 }]);
  });

  it('sums the bytes of one selected user', async () => {
    const [alice, ...others] = await runPanel('Bytes per user', ['alice']);
    expect(others).toEqual([]);
    expect(alice).toMatchObject({ user: 'alice', uploads: 1, downloads: 2, requests: 3 });
    expect(Number(alice?.['uploaded_bytes'])).toBe(10_485_760);
    expect(Number(alice?.['downloaded_bytes'])).toBe(2_097_152 + 1_048_576);
    expect(Number(alice?.['http_bytes'])).toBe(5120 + 0 + 4096);
  });

  it('counts the transfers of each user, most active first', async () => {
    const rows = await runPanel('Transfers per user');
    expect(rows.map((r) => [r['user'], r['uploads'], r['downloads']])).toEqual([
      ['alice', 1, 2],
      ['bob', 1, 0],
      ["o'brien", 0, 1],
    ]);
  });

  it('selects a user whose name holds a quote', async () => {
    const rows = await runPanel('Bytes per user', ["o'brien"]);
    expect(rows.map((r) => [r['user'], Number(r['downloaded_bytes'])])).toEqual([["o'brien", 524_288]]);
  });

  it('lists each client address of a user with its events', async () => {
    const rows = await runPanel('Client addresses per user', ['alice']);
    expect(rows.map((r) => [String(r['client']).replace(/^::ffff:/, ''), r['events']])).toEqual([
      ['203.0.113.7', 4],
      ['2001:db8::15', 2],
    ]);
  });

  it('buckets transfers by interval and activity by day and hour', async () => {
    const transfers = await runPanel('Uploads and downloads');
    expect(transfers.reduce((n, r) => n + Number(r['uploads']) + Number(r['downloads']), 0)).toBe(5);
    expect(transfers.map((r) => String(r['time']))).toEqual([...transfers.map((r) => String(r['time']))].sort());
    const days = await runPanel('Activity per day (UTC)');
    expect(days.map((r) => [r['day'], r['transfers'], r['requests']])).toEqual([
      [isoDate(fixtureDay(0)), 3, 6],
      [isoDate(fixtureDay(1)), 2, 2],
    ]);
    const hours = await runPanel('Activity by hour of day (UTC)');
    expect(hours.map((r) => r['hour'])).toEqual(['08', '09', '14']);
  });

  it('measures the ingest lag from ts to received_at', async () => {
    const rows = await runPanel('Ingest lag');
    expect(rows.length).toBeGreaterThan(0);
    // Fixture lines were "read" on their second day at 09:00; the last one was written at 08:41:12.25.
    const minLag = Math.min(...rows.map((r) => Number(r['avg_lag_seconds'])));
    expect(minLag).toBeGreaterThan(0);
    expect(Math.min(...rows.map((r) => Number(r['max_lag_seconds'])))).toBeLessThanOrEqual(60 * 60);
  });
});
