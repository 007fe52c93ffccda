import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryRefusedError } from '../../src/clickhouse/index.js';
import { listSavedQueries, loadSavedQuery, runSql } from '../../src/query/index.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { ACCEPTED, NESTED_COMMENT, REFUSED } from './hostile_queries.js';
import { accessEvents, RecordingLogger, tempDir } from './sink_fixtures.js';

// `logpulse sql` with no receiver running: chDB is opened on the data directory itself, where
// readonly=1 alone let INTO OUTFILE, several statements and KILL QUERY through.
const dataDir = tempDir('query-guard-direct');
const outDir = tempDir('query-guard-out');

beforeAll(async () => {
  const sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, logger: new RecordingLogger() });
  await sink.start();
  await sink.write(accessEvents(12), () => {});
  await sink.shutdown();
});

describe('logpulse sql on the embedded store, no receiver running', () => {
  it.each(REFUSED.map((q, i) => [i, q.sql(join(outDir, `out-${i}.txt`)), q.why] as const))('refuses #%i: %s', async (i, sql, why) => {
    const run = runSql({ dataDir, query: sql });
    await expect(run).rejects.toBeInstanceOf(QueryRefusedError);
    await expect(run).rejects.toThrow(why);
    expect(existsSync(join(outDir, `out-${i}.txt`))).toBe(false);
  });

  it('wrote no file and lost no row while refusing all of that', async () => {
    expect(readdirSync(outDir)).toEqual([]);
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('12\n');
    expect(await runSql({ dataDir, query: 'EXISTS TABLE logpulse.events' })).toBe('1\n');
  });

  it('runs what the parser read from a comment that nests, not the text around it', async () => {
    const out = join(outDir, 'nested.txt');
    expect(await runSql({ dataDir, query: NESTED_COMMENT(out) })).toBe('1\n');
    expect(existsSync(out)).toBe(false);
  });

  it.each(ACCEPTED.map((q) => [q.sql, q.params ?? {}] as const))('runs %s', async (sql, params) => {
    await expect(runSql({ dataDir, query: sql, params })).resolves.toEqual(expect.any(String));
  });

  it('runs every saved query with its default parameters', async () => {
    for (const { name } of await listSavedQueries()) {
      const saved = await loadSavedQuery(name);
      await expect(runSql({ dataDir, query: saved.sql, params: saved.values }), name).resolves.toEqual(expect.any(String));
    }
  });
});
