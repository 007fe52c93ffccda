import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../engines/clickhouse_server.js';
import { ClickHouseSink, queryPortFile, readQueryPortFile, runSql, startQueryServer, type QueryServer } from '../../src/sinks/index.js';
import { accessEvents, jsonRows, RecordingLogger, tempDir } from './sink_fixtures.js';

const dataDir = tempDir('query-endpoint');
let sink: ClickHouseSink;
let server: QueryServer;

async function post(body: unknown, token?: string): Promise<{ status: number; text: string }> {
  const endpoint = await readQueryPortFile(dataDir);
  const response = await fetch(`http://127.0.0.1:${server.port}/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token ?? endpoint?.token ?? ''}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  // A running receiver: the sink writes, the endpoint answers `logpulse sql` on the same data.
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, logger: new RecordingLogger() });
  await sink.start();
  await sink.write(accessEvents(25), () => {});
  await sink.flush();
  server = await startQueryServer({ dataDir });
});

afterAll(async () => {
  await server.close();
  await sink.shutdown();
});

describe('query endpoint', () => {
  it('announces its port in query.port, readable by its owner only', async () => {
    const endpoint = await readQueryPortFile(dataDir);
    expect(endpoint?.port).toBe(server.port);
    expect(statSync(queryPortFile(dataDir)).mode & 0o077).toBe(0);
  });

  it('answers runSql through the running receiver', async () => {
    const text = await runSql({ dataDir, query: 'SELECT count() AS rows FROM logpulse.events FINAL', format: 'JSONEachRow' });
    expect(jsonRows(text)).toEqual([{ rows: 25 }]);
    await sink.write(accessEvents(5, 1_000_000), () => {});
    await sink.flush();
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL;' })).toBe('30\n');
  });

  it('binds parameters as values, never as SQL', async () => {
    const hostile = "x' OR 1=1; DROP TABLE logpulse.events; --";
    const text = await runSql({
      dataDir,
      query: 'SELECT {s:String} AS s, count() AS matching FROM logpulse.events WHERE path = {s:String}',
      params: { s: hostile },
      format: 'JSONEachRow',
    });
    expect(jsonRows(text)).toEqual([{ s: hostile, matching: 0 }]);
    expect(await runSql({ dataDir, query: 'EXISTS TABLE logpulse.events' })).toBe('1\n');
  });

  it('refuses INSERT, DROP and SET: queries run read-only', async () => {
    const insert = await post({ query: "INSERT INTO logpulse.events (event_id, raw) VALUES (1, 'x')" });
    expect(insert.status).toBe(422);
    expect(insert.text).toMatch(/readonly/i);
    const drop = await post({ query: 'DROP TABLE logpulse.events' });
    expect(drop.status).toBe(422);
    expect(drop.text).toMatch(/readonly/i);
    await expect(runSql({ dataDir, query: 'TRUNCATE TABLE logpulse.events' })).rejects.toThrow(/HTTP 422.*readonly/i);
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('30\n');
  });

  it('rejects a wrong token, a bad format and a malformed body', async () => {
    expect((await post({ query: 'SELECT 1' }, 'not-the-token')).status).toBe(401);
    const format = await post({ query: 'SELECT 1', format: 'Native' });
    expect(format.status).toBe(400);
    expect(format.text).toContain('format');
    expect((await post({ sql: 'SELECT 1' })).status).toBe(400);
  });

  it('streams results in the requested format', async () => {
    const text = await runSql({ dataDir, query: 'SELECT number AS n, toString(number) AS s FROM numbers(3)', format: 'CSVWithNames' });
    expect(text).toBe('"n","s"\n0,"0"\n1,"1"\n2,"2"\n');
  });

  it('removes query.port on close, and runSql opens the store itself when the file is stale', async () => {
    await server.close();
    expect(existsSync(queryPortFile(dataDir))).toBe(false);
    await writeFile(queryPortFile(dataDir), `${await freePort()}\nstale-token\n`, { mode: 0o600 });
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('30\n');
  });
});
