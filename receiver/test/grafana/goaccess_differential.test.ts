import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../src/demo/prng.js';
import { createParser } from '../../src/parsers/index.js';
import type { Event } from '../../src/model/event.js';
import { eventIdAt, fileKey } from '../../src/pipeline/event_id.js';
import { EVENT_COLUMNS, encodeEvents } from '../../src/sinks/encoders/row_encoder.js';
import { visitorKindSql } from '../../../grafana/src/user_agent_sql.js';
import { panelQueries, readCommittedDashboards } from './dashboard_walk.js';
import { expandClickHouseSql } from './grafana_macros.js';

/**
 * The site report against GoAccess (Debian's goaccess), a mature tool that measures the same things:
 * a seeded log of a few thousand combined lines is parsed by the real parser into chDB, and the
 * dashboard's queries for requests, unique visitors, 404 paths, bandwidth and crawler share must
 * equal GoAccess's JSON report of the same file. GoAccess runs with --4xx-to-unique-count: its
 * default leaves 4xx responses out of unique visitors, the dashboards count every request's visitor.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const GOACCESS = ['/usr/bin/goaccess', '/usr/local/bin/goaccess'].find((p) => existsSync(p));
const run = promisify(execFile);
const DAY_MS = 86_400_000;
const LINES = 3000;

const AGENTS = readFileSync(new URL('../fixtures/grafana/user_agents.txt', import.meta.url), 'utf8').split('\n').filter((l) => l !== '');
const PATHS = ['/', '/shop/', '/shop/cart', '/shop/item/7', '/blog/', '/blog/rotating-logs', '/static/app.js', '/wp-login.php', '/.env', '/old-page', '/api/v1/status'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `[01/Dec/2026:10:00:00 +0000]`'s inside. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A seeded combined log over the three days before today (UTC). */
function generateLog(seed: number, startMs: number, agents: readonly string[]): string {
  const prng = new Prng(seed);
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const ts = startMs + Math.floor((i / LINES) * 3 * DAY_MS);
    const path = prng.pick(PATHS);
    const status = path === '/wp-login.php' || path === '/.env' || path === '/old-page' ? 404 : prng.chance(0.03) ? 500 : 200;
    const bytes = status === 404 ? 153 : prng.int(40_000);
    const client = `198.51.100.${prng.int(40)}`;
    const referer = prng.chance(0.3) ? `https://${prng.pick(['www.google.com', 'duckduckgo.com', 'news.ycombinator.com'])}/` : '-';
    lines.push(`${client} - - [${clfTime(ts)}] "GET ${path} HTTP/1.1" ${status} ${bytes} "${referer}" "${prng.pick(agents)}"`);
  }
  return `${lines.join('\n')}\n`;
}

interface GoAccessItem {
  data: string;
  hits: { count: number };
  items?: GoAccessItem[];
}

interface GoAccessReport {
  general: { valid_requests: number; unique_visitors: number; bandwidth: number };
  not_found: { data: GoAccessItem[] };
  browsers: { data: GoAccessItem[] };
}

async function goaccess(dir: string, log: string): Promise<GoAccessReport> {
  if (GOACCESS === undefined) throw new Error('goaccess is missing: install the Debian package goaccess');
  const file = join(dir, 'access.log');
  const report = join(dir, 'report.json');
  await writeFile(file, log);
  await run(GOACCESS, ['--no-global-config', '--no-progress', '--log-format=COMBINED', '--4xx-to-unique-count', '-o', report, file]);
  return JSON.parse(await readFile(report, 'utf8')) as GoAccessReport;
}

function crawlerHits(report: GoAccessReport): number {
  return report.browsers.data.filter((b) => b.data === 'Crawlers').reduce((n, b) => n + b.hits.count, 0);
}

function parse(log: string): Event[] {
  const parser = createParser('combined');
  const key = fileKey('differential:access.log');
  const events: Event[] = [];
  let offset = 0;
  for (const line of log.split('\n')) {
    const at = offset;
    offset += Buffer.byteLength(line) + 1;
    if (line === '') continue;
    const result = parser.parse(line);
    if (result.kind !== 'event') throw new Error(`line at ${at}: ${result.kind}`);
    events.push({ ...result.fields, eventId: eventIdAt(key, at), receivedAt: Date.now(), source: 'web-1', file: '/var/log/access.log', offset: at, raw: line });
  }
  return events;
}

describe('site report against GoAccess', () => {
  let dir: string;
  let session: Session;
  let startMs: number;
  const sqlOf = (title: string): string => {
    const query = panelQueries(readCommittedDashboards(), 'grafana-clickhouse-datasource').find((q) => q.where.startsWith('site_report.json') && q.where.includes(`"${title}"`));
    if (query?.target.rawSql === undefined) throw new Error(`no site report panel "${title}"`);
    return expandClickHouseSql(query.target.rawSql, { fromMs: startMs, toMs: startMs + 3 * DAY_MS, intervalSeconds: 3600, variables: { source: 'All', vhost: 'All' } });
  };
  const rows = async (title: string): Promise<Array<Record<string, string | number>>> =>
    (await session.queryAsync(sqlOf(title), { format: 'JSONEachRow' })).text().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, string | number>);
  const load = async (log: string): Promise<void> => {
    session.query('TRUNCATE TABLE logpulse.events');
    const events = parse(log);
    await session.insert({ table: 'logpulse.events', values: encodeEvents([{ events, start: 0, end: events.length }], events.length), format: 'TabSeparated', columns: EVENT_COLUMNS });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logpulse-goaccess-'));
    session = new Session(join(dir, 'chdb'));
    session.query(readFileSync(join(ROOT, 'clickhouse/schema.sql'), 'utf8'));
    startMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
  });

  afterAll(async () => {
    session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts the requests, unique visitors, 404 paths and bandwidth GoAccess counts', async () => {
    const log = generateLog(18, startMs, AGENTS);
    const report = await goaccess(dir, log);
    await load(log);
    const [totals] = await rows('Requests');
    expect(report.general.valid_requests).toBe(LINES);
    expect(Number(totals?.['requests'])).toBe(report.general.valid_requests);
    expect(Number(totals?.['visitors'])).toBe(report.general.unique_visitors);
    expect(Number(totals?.['bytes'])).toBe(report.general.bandwidth);
    const notFound = new Map((await rows('Top 404 paths')).map((r) => [String(r['path']), Number(r['hits'])]));
    expect(notFound).toEqual(new Map(report.not_found.data.map((item) => [item.data, item.hits.count])));
    expect(notFound.size).toBe(3);
  });

  it('finds the crawler share GoAccess finds, over the user agents both call alike', async () => {
    // Each user agent alone through both: GoAccess's Crawlers category against the dashboard's kind.
    // The dashboard's side is the SQL its panels are generated with, run once for every agent.
    const kinds = session
      .queryBind(`SELECT ${visitorKindSql('ua')} AS kind FROM (SELECT arrayJoin({agents:Array(String)}) AS ua)`, { agents: AGENTS }, 'TSV')
      .toString()
      .split('\n');
    const agree: string[] = [];
    const differ: string[] = [];
    for (const [i, agent] of AGENTS.entries()) {
      const line = `192.0.2.1 - - [${clfTime(startMs + 3600_000)}] "GET / HTTP/1.1" 200 10 "-" "${agent}"\n`;
      const goaccessCrawler = crawlerHits(await goaccess(dir, line)) === 1;
      (goaccessCrawler === (kinds[i] !== 'human') ? agree : differ).push(agent);
    }
    // Where GoAccess 1.7's own list and isbot's differ (README "Full stack"): isbot calls command-line
    // clients, scanners and headless browsers bots, GoAccess files them under other browsers; GoAccess
    // does not know ClaudeBot or Bytespider, and calls Google's app and news reader crawlers.
    expect(differ.map((a) => /GoogleApp|ClaudeBot|Bytespider|curl|Wget|python-requests|Go-http-client|Apache-HttpClient|zgrab|HeadlessChrome|channel\/google/.exec(a)?.[0])).toEqual([
      'GoogleApp', 'ClaudeBot', 'Bytespider', 'curl', 'Wget', 'python-requests', 'Go-http-client', 'Apache-HttpClient', 'zgrab', 'HeadlessChrome', 'channel/google',
    ]);
    expect(agree.length).toBeGreaterThan(2 * differ.length);
    const log = generateLog(19, startMs, agree);
    const report = await goaccess(dir, log);
    await load(log);
    const share = Number((await rows('Crawler share'))[0]?.['crawler_share']);
    expect(crawlerHits(report)).toBeGreaterThan(0);
    expect(share).toBeCloseTo(crawlerHits(report) / report.general.valid_requests, 12);
  });
});
