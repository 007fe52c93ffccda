import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { buildDashboards } from '../../grafana/src/dashboard_json.js';
import { expandClickHouseSql } from '../test/grafana/grafana_macros.js';

/**
 * What reading with FINAL costs the dashboards' heaviest ClickHouse panels: `rows` events (default
 * 10M, 30 days) generated in chDB into clickhouse/schema.sql's table, 1% of them delivered a second
 * time, then each panel's query, expanded as Grafana expands it, timed with and without FINAL over
 * the last 7 days (median of 3 runs). Run: npm run build && node dist/receiver/bench/final_cost_bench.js [rows]
 */
const SCHEMA = new URL('../../../clickhouse/schema.sql', import.meta.url).pathname;
const DAY_MS = 86_400_000;
const PANELS: ReadonlyArray<[file: string, title: string]> = [
  ['site_report.json', 'Requests'],
  ['site_report.json', 'Unique visitors per day'],
  ['site_report.json', 'Top requested paths'],
  ['site_report.json', 'Status codes over time'],
  ['site_report.json', 'Browsers'],
  ['site_report.json', 'Crawler share'],
  ['logs.json', 'Raw lines'],
  ['user_activity.json', 'Bytes per user'],
];
const VARIABLES = { source: 'All', vhost: 'All', section: 'All', user: 'All', status: [''], client: [''] } as const;
/** The logs dashboard's user is a text box: empty for any. */
const LOGS_VARIABLES = { ...VARIABLES, user: [''] } as const;

/** The generated rows: deterministic in `number`, so inserting a number again redelivers the same event. */
function generator(from: number, count: number, nowMs: number, total: number): string {
  const agents = readFileSync(new URL('../../../receiver/test/fixtures/grafana/user_agents.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((a) => `'${a.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  return `INSERT INTO logpulse.events SELECT
    sipHash64(number) AS event_id,
    toDateTime64(${nowMs / 1000} - (number * 30 * 86400 / ${total}), 3, 'UTC') AS ts,
    ts + 1 AS received_at,
    'web-' || toString(number % 4) AS source, '/var/log/nginx/access.log' AS file, number * 180 AS offset,
    '' AS vhost, 'http' AS kind,
    '198.51.' || toString(intDiv(sipHash64(number, 1) % 20000, 256)) || '.' || toString(sipHash64(number, 1) % 256) AS client,
    if(number % 50 = 0, 'user' || toString(number % 97), '') AS user, 'GET' AS method,
    '/s' || toString(sipHash64(number, 2) % 40) || '/page' || toString(sipHash64(number, 3) % 2000) AS path,
    '/s' || toString(sipHash64(number, 2) % 40) AS section,
    [200, 200, 200, 200, 200, 200, 304, 404, 500, 301][sipHash64(number, 4) % 10 + 1] AS status, 'HTTP/1.1' AS protocol,
    sipHash64(number, 5) % 50000 AS bytes, 'https://www.example.com/' AS referer,
    [${agents.join(', ')}][sipHash64(number, 6) % ${agents.length} + 1] AS user_agent,
    '' AS direction, sipHash64(number, 7) % 900 AS duration_ms,
    client || ' - - [' || formatDateTime(ts, '%d/%b/%Y:%H:%i:%S +0000') || '] "GET ' || path || ' HTTP/1.1" ' || toString(status) || ' ' || toString(bytes) AS raw
  FROM numbers(${from}, ${count})`;
}

async function median(session: Session, sql: string): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    rows = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text().split('\n').filter((l) => l !== '').length;
    times.push(performance.now() - start);
  }
  return { ms: times.sort((a, b) => a - b)[1] ?? 0, rows };
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 10_000_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-final-cost-'));
  const session = new Session(dir);
  try {
    session.query(readFileSync(SCHEMA, 'utf8'));
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    let start = performance.now();
    for (let from = 0; from < total; from += 1_000_000) await session.queryAsync(generator(from, Math.min(1_000_000, total - from), nowMs, total));
    const insertSeconds = (performance.now() - start) / 1000;
    // A redelivery: 1% of the events (the newest, in the dashboards' range) stored a second time.
    start = performance.now();
    await session.queryAsync(generator(total - total / 100, total / 100, nowMs, total));
    const parts = (await session.queryAsync("SELECT count() FROM system.parts WHERE database = 'logpulse' AND table = 'events' AND active", { format: 'TSV' })).text().trim();
    const stored = (await session.queryAsync('SELECT count() FROM logpulse.events', { format: 'TSV' })).text().trim();
    process.stdout.write(`${total} events in ${insertSeconds.toFixed(1)} s, ${stored} rows stored with the redelivery, ${parts} active parts\n`);
    const dashboards = new Map(buildDashboards().map((d) => [d.file, d.dashboard]));
    
    process.stdout.write('| panel | with FINAL | without | rows |\n| --- | --- | --- | --- |\n');
    for (const [file, title] of PANELS) {
      const panel = dashboards.get(file)?.panels?.find((p) => 'title' in p && p.title === title);
      const target = panel !== undefined && 'targets' in panel ? (panel.targets?.[0] as { rawSql?: string } | undefined) : undefined;
      if (target?.rawSql === undefined) throw new Error(`final cost: no panel "${title}" in ${file}`);
      const variables = file === 'logs.json' ? LOGS_VARIABLES : VARIABLES;
      const sql = expandClickHouseSql(target.rawSql, { fromMs: nowMs - 7 * DAY_MS, toMs: nowMs, intervalSeconds: 3600, variables });
      const final = await median(session, sql);
      const plain = await median(session, sql.replaceAll('FROM logpulse.events FINAL', 'FROM logpulse.events'));
      process.stdout.write(`| ${title} | ${(final.ms / 1000).toFixed(2)} s | ${(plain.ms / 1000).toFixed(2)} s | ${final.rows} |\n`);
    }
  } finally {
    session.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
