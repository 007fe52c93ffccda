import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryRefusedError } from '../../src/clickhouse/index.js';
import { runSql } from '../../src/query/index.js';
import { startClickHouseServer, type ClickHouseServerHandle } from '../engines/clickhouse_server.js';
import { NESTED_COMMENT } from '../sinks/hostile_queries.js';

// `logpulse sql --clickhouse-url` on Debian's 18.16: the server has no formatQuery nor EXPLAIN,
// so the embedded engine checks the query, and the server runs the text that engine wrote back.
let server: ClickHouseServerHandle;
const outDir = mkdtempSync(join(tmpdir(), 'logpulse-guard-server-'));

beforeAll(async () => {
  server = await startClickHouseServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe('logpulse sql on a ClickHouse server', () => {
  it('refuses INTO OUTFILE, several statements and file() before the server sees them', async () => {
    for (const sql of [`SELECT 1 INTO OUTFILE '${join(outDir, 'a.txt')}'`, 'SELECT 1; SELECT 2', "SELECT * FROM file('/etc/passwd', TSV, 'x String')", 'KILL QUERY WHERE 1']) {
      await expect(runSql({ dataDir: outDir, url: server.urlWithCredentials, query: sql })).rejects.toBeInstanceOf(QueryRefusedError);
    }
    expect(existsSync(join(outDir, 'a.txt'))).toBe(false);
  });

  it('runs the query as the check read it: a comment 18.16 would not nest hides nothing', async () => {
    const out = join(outDir, 'nested.txt');
    expect(await runSql({ dataDir: outDir, url: server.urlWithCredentials, query: NESTED_COMMENT(out) })).toBe('1\n');
    expect(existsSync(out)).toBe(false);
    expect(await runSql({ dataDir: outDir, url: server.urlWithCredentials, query: 'SELECT count() FROM system.one' })).toBe('1\n');
  });
});
