import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../engines/clickhouse_server.js';
import { listSavedQueries, loadSavedQuery, queryPortFile, readQueryPortFile, runSql, startQueryServer, type QueryServer } from '../../src/query/index.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { ACCEPTED, NESTED_COMMENT, REFUSED } from './hostile_queries.js';
import { accessEvents, jsonRows, RecordingLogger, tempDir } from './sink_fixtures.js';

const dataDir = tempDir('query-endpoint');
const outDir = tempDir('query-endpoint-out');
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

  it.each(REFUSED.map((q, i) => [i, q.sql(join(outDir, `out-${i}.txt`)), q.why] as const))('refuses #%i with 403 and why: %s', async (i, sql, why) => {
    const answer = await post({ query: sql });
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(why);
    await expect(runSql({ dataDir, query: sql })).rejects.toThrow(/HTTP 403.*refused: only a single read query/);
    expect(existsSync(join(outDir, `out-${i}.txt`))).toBe(false);
  });

  it('wrote no file, dropped no table and killed no insert while refusing all of that', async () => {
    expect(readdirSync(outDir)).toEqual([]);
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('30\n');
    await sink.write(accessEvents(1, 2_000_000), () => {});
    await sink.flush();
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('31\n');
    const out = join(outDir, 'nested.txt');
    expect(await runSql({ dataDir, query: NESTED_COMMENT(out) })).toBe('1\n');
    expect(existsSync(out)).toBe(false);
  });

  it.each(ACCEPTED.map((q) => [q.sql, q.params ?? {}] as const))('runs %s', async (sql, params) => {
    const answer = await post({ query: sql, params });
    expect(answer.status, answer.text).toBe(200);
  });

  it('runs every saved query with its default parameters', async () => {
    for (const { name } of await listSavedQueries()) {
      const saved = await loadSavedQuery(name);
      await expect(runSql({ dataDir, query: saved.sql, params: saved.values }), name).resolves.toEqual(expect.any(String));
    }
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
    expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('31\n');
  });

  it('never sends the token to another process that holds a stale port, and opens the store instead', async () => {
    // After a SIGKILL, query.port names a port some other program may listen on later.
    const received: string[] = [];
    const foreign = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(`${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${body}`);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ proof: 'f'.repeat(64), challenge: '0'.repeat(32) }));
      });
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()));
    const address = foreign.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718';
    try {
      // A pid that runs (this one, as a reused pid would): only the proof can tell.
      for (const pidLine of [String(process.pid), '']) {
        await writeFile(queryPortFile(dataDir), `${port}\n${token}\n${pidLine}\n`, { mode: 0o600 });
        expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('31\n');
      }
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
    }
    expect(received.length).toBe(2);
    expect(received.every((text) => text.startsWith('GET /identity?nonce='))).toBe(true);
    expect(received.join('\n')).not.toContain(token);
    expect(received.join('\n')).not.toContain('SELECT');
  });

  it('asks nothing of a port whose receiver is dead', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const received: string[] = [];
    const foreign = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      response.end();
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()));
    const address = foreign.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await writeFile(queryPortFile(dataDir), `${port}\nsome-token\n${dead.stdout}\n`, { mode: 0o600 });
      expect(await runSql({ dataDir, query: 'SELECT count() FROM logpulse.events FINAL' })).toBe('31\n');
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
    }
    expect(received).toEqual([]);
  });
});
