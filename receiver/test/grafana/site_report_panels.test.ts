import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { isbot } from 'isbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EVENT_COLUMNS, encodeEvents } from '../../src/sinks/encoders/row_encoder.js';
import type { Event } from '../../src/model/event.js';
import { panelQueries, readCommittedDashboards } from './dashboard_walk.js';
import { allFixtureEvents, fixtureDay, siteFixtureEvents } from './fixture_events.js';
import { expandClickHouseSql } from './grafana_macros.js';
import type { ClickHouseContext, Selection } from './grafana_macros.js';

/**
 * The site report and logs dashboards' ClickHouse queries, expanded as the plugin expands them, run on
 * chDB holding clickhouse/schema.sql and clickhouse/logs_view.sql with the fixture logs, the shop's log
 * delivered twice (a re-read after a crash) and merges stopped, so that only FINAL can count it once.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;

type Row = Record<string, string | number>;
type Variables = Record<string, Selection>;

const SITE_ALL: Variables = { source: 'All', vhost: 'All' };
const LOGS_ALL: Variables = { source: 'All', section: 'All', status: [''], user: [''], client: [''] };

function queriesOf(file: string): Array<{ where: string; sql: string }> {
  return panelQueries(readCommittedDashboards(), 'grafana-clickhouse-datasource')
    .filter((q) => q.where.startsWith(`${file} `))
    .map((q) => ({ where: q.where, sql: q.target.rawSql ?? '' }));
}

function sqlOf(file: string, title: string): string {
  const query = queriesOf(file).find((q) => q.where.includes(`"${title}"`));
  if (query === undefined) throw new Error(`no ClickHouse panel "${title}" in ${file}`);
  return query.sql;
}

describe('site report and logs panels', () => {
  let dir: string;
  let session: Session;
  let http: Event[];
  const range = (variables: Variables): ClickHouseContext => ({ fromMs: fixtureDay(0), toMs: fixtureDay(2) - 1, intervalSeconds: 3600, variables });
  const run = async (sql: string): Promise<Row[]> =>
    (await session.queryAsync(sql, { format: 'JSONEachRow' }))
      .text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Row);
  const site = (title: string, variables = SITE_ALL): Promise<Row[]> => run(expandClickHouseSql(sqlOf('site_report.json', title), range(variables)));
  const logs = (title: string, variables: Variables): Promise<Row[]> => run(expandClickHouseSql(sqlOf('logs.json', title), range({ ...LOGS_ALL, ...variables })));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logpulse-site-report-'));
    session = new Session(dir);
    session.query(readFileSync(join(ROOT, 'clickhouse/schema.sql'), 'utf8'));
    session.query(readFileSync(join(ROOT, 'clickhouse/logs_view.sql'), 'utf8'));
    // Duplicates stay until a merge: stop merges so the redelivered rows are there when the panels run.
    session.query('SYSTEM STOP MERGES logpulse.events');
    const events = [...allFixtureEvents(), ...siteFixtureEvents()];
    const redelivered = siteFixtureEvents();
    for (const batch of [events, redelivered]) {
      await session.insert({ table: 'logpulse.events', values: encodeEvents([{ events: batch, start: 0, end: batch.length }], batch.length), format: 'TabSeparated', columns: EVENT_COLUMNS });
    }
    http = events.filter((e) => e.kind === 'http');
  });

  afterAll(async () => {
    session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every query of both dashboards and gets rows, filters set or not', async () => {
    const empty: string[] = [];
    const cases: Array<[string, Variables]> = [
      ['site_report.json', SITE_ALL],
      ['site_report.json', { source: ['web-2'], vhost: ['shop.example.com'] }],
      ['logs.json', LOGS_ALL],
      ['logs.json', { ...LOGS_ALL, source: ['web-2'], section: ['/shop', '/blog'], status: ['5xx'] }],
      ['logs.json', { ...LOGS_ALL, user: ["o'brien"] }],
      ['logs.json', { ...LOGS_ALL, client: ['203.0.113.50'], status: ['200'] }],
    ];
    for (const [file, variables] of cases) {
      const queries = queriesOf(file);
      expect(queries.length, file).toBeGreaterThanOrEqual(file === 'logs.json' ? 4 : 15);
      for (const query of queries) {
        if ((await run(expandClickHouseSql(query.sql, range(variables)))).length === 0) empty.push(`${query.where} ${JSON.stringify(variables)}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('counts a redelivered line once: the duplicates are stored, FINAL folds them', async () => {
    const [totals] = await site('Requests');
    expect(Number(totals?.['requests'])).toBe(http.length);
    const withoutFinal = expandClickHouseSql(sqlOf('site_report.json', 'Requests').replace(' FINAL', ''), range(SITE_ALL));
    expect(Number((await run(withoutFinal))[0]?.['requests'])).toBe(http.length + siteFixtureEvents().length);
    for (const { where, sql } of [...queriesOf('site_report.json'), ...queriesOf('logs.json')]) expect(sql, where).toContain('FROM logpulse.events FINAL');
  });

  it('counts unique visitors as GoAccess does: client, user agent and day', async () => {
    const keys = new Set(http.map((e) => `${new Date(e.ts).toISOString().slice(0, 10)}|${e.client}|${e.userAgent}`));
    expect(Number((await site('Unique visitors'))[0]?.['visitors'])).toBe(keys.size);
    const perDay = await site('Unique visitors per day');
    expect(perDay.reduce((n, r) => n + Number(r['visitors']), 0)).toBe(keys.size);
    expect(perDay).toHaveLength(2);
  });

  it('lists the 404 paths, the referring sites and the virtual hosts', async () => {
    const notFound = new Map<string, number>();
    for (const e of http.filter((x) => x.status === 404)) notFound.set(e.path, (notFound.get(e.path) ?? 0) + 1);
    const rows = await site('Top 404 paths');
    expect(new Map(rows.map((r) => [String(r['path']), Number(r['hits'])]))).toEqual(notFound);
    const referrers = await site('Referring sites');
    expect(referrers.find((r) => r['site'] === 'www.google.com')?.['hits']).toBe(2);
    expect(referrers.find((r) => r['site'] === 'duckduckgo.com')?.['hits']).toBe(2);
    const hosts = await site('Virtual hosts');
    expect(hosts.find((r) => r['virtual_host'] === 'shop.example.com')?.['hits']).toBe(siteFixtureEvents().length);
  });

  it('ranks the slowest sections by p95 of the lines that have a request time', async () => {
    const rows = await site('Slowest sections');
    expect(rows[0]).toMatchObject({ section: '/shop', max_ms: 2003 });
    expect(rows.every((r) => Number(r['p50_ms']) <= Number(r['p95_ms']))).toBe(true);
    const paths = await site('Slowest paths');
    expect(paths[0]).toMatchObject({ path: '/shop/item/42/reviews', p95_ms: 2003 });
  });

  it('tells people, bots and AI crawlers apart, and names them', async () => {
    const kinds = new Map((await site('Bots and crawlers against humans')).map((r) => [r['kind'], Number(r['requests'])]));
    const bots = http.filter((e) => isbot(e.userAgent)).length;
    expect(kinds.get('AI crawler')).toBe(5);
    expect((kinds.get('AI crawler') ?? 0) + (kinds.get('bot') ?? 0)).toBe(bots);
    expect(kinds.get('human')).toBe(http.length - bots);
    const share = Number((await site('Crawler share'))[0]?.['crawler_share']);
    expect(share).toBeCloseTo(bots / http.length, 10);
    const named = (await site('Named crawlers')).map((r) => r['crawler']);
    expect(named).toEqual(expect.arrayContaining(['GPTBot', 'ClaudeBot', 'Googlebot', 'bingbot']));
    const browsers = (await site('Browsers')).map((r) => r['browser']);
    expect(browsers).toEqual(expect.arrayContaining(['Chrome', 'Firefox', 'Mobile Safari', 'Safari']));
    const systems = (await site('Operating systems')).map((r) => r['os']);
    expect(systems).toEqual(expect.arrayContaining(['Windows', 'Linux', 'iOS', 'Mac OS X']));
  });

  it('lists the raw lines behind a spike, filtered, each once, with a level from the status class', async () => {
    const notFound = await logs('Raw lines', { status: ['404'] });
    expect(notFound.length).toBe(http.filter((e) => e.status === 404).length);
    expect(new Set(notFound.map((r) => r['level']))).toEqual(new Set(['warning']));
    expect(notFound.every((r) => String(r['body']).includes('" 404 '))).toBe(true);
    const errors = await logs('Raw lines', { status: ['5xx'] });
    expect(errors.map((r) => [r['status_code'], r['level']])).toEqual(http.filter((e) => e.status >= 500).map(() => ['500', 'error']));
    const client = await logs('Raw lines', { client: ['203.0.113.50'], source: ['web-2'], section: ['/shop'] });
    expect(client.length).toBe(http.filter((e) => e.client === '203.0.113.50' && e.section === '/shop').length);
    expect(client.map((r) => String(r['timestamp']))).toEqual([...client.map((r) => String(r['timestamp']))].sort().reverse());
    // Transfers are lines too: the logs view shows every kind.
    const alice = await logs('Raw lines', { user: ['alice'] });
    expect(alice.length).toBe(allFixtureEvents().filter((e) => e.user === 'alice').length);
    expect(new Set(alice.map((r) => r['source']))).toEqual(new Set(['web-1', 'sftp-1']));
  });

  it('provisions logs settings that name real columns of the logs view', async () => {
    const file = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; jsonData?: { logs?: Record<string, string | boolean> } }>;
    };
    const settings = file.datasources.find((d) => d.uid === 'logpulse-clickhouse')?.jsonData?.logs;
    expect(settings).toMatchObject({ defaultDatabase: 'logpulse', otelEnabled: false, messageColumn: 'raw', levelColumn: 'level', timeColumn: 'ts' });
    const { defaultDatabase, defaultTable, timeColumn, messageColumn, levelColumn } = settings as Record<string, string>;
    const rows = await run(
      `SELECT ${timeColumn} AS t, ${messageColumn} AS m, ${levelColumn} AS l, source, section, status, user, client ` +
        `FROM ${defaultDatabase}.${defaultTable} WHERE status = 404 ORDER BY t`,
    );
    expect(rows.length).toBe(http.filter((e) => e.status === 404).length);
    expect(new Set(rows.map((r) => r['l']))).toEqual(new Set(['warning']));
  });
});
