import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startClickHouseServer } from '../engines/clickhouse_server.js';
import type { ClickHouseServerHandle } from '../engines/clickhouse_server.js';
import { REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, runLogpulse, tempDir } from './logpulse_process.js';

/**
 * The receiver storing into a ClickHouse server over HTTP (`--clickhouse-url`), against Debian's
 * clickhouse-server 18.16. That version predates DateTime64 and LowCardinality, so the
 * repository's schema cannot be applied there: with `--no-migrate` the events table is one made
 * for it here, with the same columns in types 18.16 has. The sink sends times as DateTime64's text
 * (`2025-03-14 09:00:01.000`), which no type of 18.16 but String reads: the times are kept as that text.
 */

const FIXTURE = join(REPO_ROOT, 'receiver/test/fixtures/e2e/access.log');
const RETENTION = ['--retention-days', '10000'];

/** The events columns the sink inserts, in types clickhouse-server 18.16 knows. */
const EVENTS_18_16 = `
CREATE TABLE logpulse.events
(
    event_id UInt64, ts String, received_at String, source String, file String, offset Int64, vhost String,
    kind String, client String, user String, method String, path String, section String,
    status UInt16, protocol String, bytes UInt64, referer String, user_agent String,
    direction String, duration_ms UInt32, raw String
)
ENGINE = ReplacingMergeTree
PARTITION BY tuple()
ORDER BY (kind, source, event_id)`;

let server: ClickHouseServerHandle;

async function serverQuery(sql: string): Promise<string> {
  const response = await fetch(`${server.httpUrl}/?user=${server.user}&password=${encodeURIComponent(server.password)}`, { method: 'POST', body: sql });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`clickhouse-server: ${sql.trim().split('\n', 1)[0]}: HTTP ${response.status}: ${text}`);
  return text;
}

async function importFixture(url: string, extra: readonly string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = await tempDir('chserver');
  try {
    const port = await freeLoopbackPort();
    return await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dir.path, '--metrics-port', String(port), '--clickhouse-url', url, ...RETENTION, ...extra, FIXTURE], 30_000);
  } finally {
    await dir.dispose();
  }
}

describe('the receiver with a ClickHouse server', () => {
  beforeAll(async () => {
    server = await startClickHouseServer();
    await serverQuery('CREATE DATABASE IF NOT EXISTS logpulse');
    await serverQuery(EVENTS_18_16);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('imports a log into a table made for the server with --no-migrate', async () => {
    const result = await importFixture(server.urlWithCredentials, ['--no-migrate', '--source', 'web1']);
    expect(result.code, result.stderr).toBe(0);
    expect(await serverQuery('SELECT count(), sum(bytes), uniqExact(event_id) FROM logpulse.events FINAL')).toBe('19\t142309\t19\n');
    expect(await serverQuery("SELECT section, count() FROM logpulse.events FINAL WHERE source = 'web1' GROUP BY section ORDER BY section")).toBe(
      '/\t2\n/api\t5\n/pages\t6\n/search\t2\n/static\t3\n/wp-login.php\t1\n',
    );
    // The times arrive exact to the millisecond: the first line is 14/Mar/2025:09:00:01 +0000.
    expect(await serverQuery('SELECT min(ts) FROM logpulse.events')).toBe('2025-03-14 09:00:01.000\n');
  });

  it('fails a batch import whose rows the server refuses for good, instead of retrying forever', async () => {
    // ts as DateTime: 18.16 reads no milliseconds into it, so it refuses every row; a batch import
    // stops on such a table instead of dead-lettering the whole log.
    await serverQuery('RENAME TABLE logpulse.events TO logpulse.events_kept');
    let result: Awaited<ReturnType<typeof importFixture>>;
    const started = Date.now();
    try {
      await serverQuery(EVENTS_18_16.replace('ts String', 'ts DateTime'));
      result = await importFixture(server.urlWithCredentials, ['--no-migrate']);
    } finally {
      await serverQuery('DROP TABLE IF EXISTS logpulse.events');
      await serverQuery('RENAME TABLE logpulse.events_kept TO logpulse.events');
    }
    expect(result.code, result.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.stderr).toContain('clickhouse insert');
  });

  it('stops at start-up naming the server and the schema when the schema cannot be applied there', async () => {
    const result = await importFixture(server.urlWithCredentials);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`ingest@127.0.0.1:${server.httpPort}`);
    expect(result.stderr).toContain('schema');
    expect(result.stderr).not.toContain(server.password);
  });

  it('exits non-zero naming the URL without the password when the credentials are wrong', async () => {
    const url = `http://${server.user}:not-the-password@127.0.0.1:${server.httpPort}`;
    const result = await importFixture(url, ['--no-migrate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`http://${server.user}@127.0.0.1:${server.httpPort}`);
    expect(result.stderr).not.toContain('not-the-password');
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^logpulse: clickhouse: connect to http:\/\/ingest@127\.0\.0\.1:\d+\/?: .*(password|authenticat)/i);
  });

  it('exits non-zero naming the URL when the server is unreachable at start-up', async () => {
    const port = await freePort();
    const result = await importFixture(`http://reader:s3cret@127.0.0.1:${port}`, ['--no-migrate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^logpulse: clickhouse: connect to http://reader@127\\.0\\.0\\.1:${port}/?: .*ECONNREFUSED`));
    expect(result.stderr).not.toContain('s3cret');
  });
});
