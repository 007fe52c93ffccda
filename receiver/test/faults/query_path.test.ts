import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryPortFile } from '../../src/query/index.js';
import { freeLoopbackPort, runLogpulse, spawnLogpulse, sqlValue, tempDir, waitFor, waitReady, type LogpulseChild } from '../e2e/logpulse_process.js';
import { ACCEPTED, NESTED_COMMENT, REFUSED } from '../sinks/hostile_queries.js';
import { sequencedText } from './sequenced_lines.js';

/**
 * Scenario f, the query path as an attacker uses it: every statement of sinks/hostile_queries.ts
 * through the real `logpulse sql`, once against the embedded store (no receiver running) and once
 * through a running receiver's query endpoint. Each is refused with its reason, no file appears,
 * the events stay; the read queries still run. Then the receiver is killed with SIGKILL, another
 * program takes its port, and `logpulse sql` answers from the store without sending it the token.
 */

const LINES = 500;
let root: { path: string; dispose: () => Promise<void> };
let dataDir: string;

beforeAll(async () => {
  root = await tempDir('faults-query');
  dataDir = join(root.path, 'data');
  const log = join(root.path, 'access.log');
  writeFileSync(log, sequencedText(0, LINES, Date.now() - 3_600_000, 1_000, 5));
  const result = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(await freeLoopbackPort()), log]);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  await root?.dispose();
});

/** Runs every hostile statement through `logpulse sql`, `parallel` at a time. */
async function expectAllRefused(mode: string, parallel: number): Promise<void> {
  const failures: string[] = [];
  const cases = [...REFUSED.map((q, i) => ({ sql: q.sql, why: q.why, i })), { sql: NESTED_COMMENT, why: undefined, i: REFUSED.length }];
  for (let n = 0; n < cases.length; n += parallel) {
    await Promise.all(
      cases.slice(n, n + parallel).map(async ({ sql, why, i }) => {
        const out = join(root.path, `${mode}-out-${i}`);
        const query = sql(out);
        const result = await runLogpulse(['sql', '--data-dir', dataDir, '--format', 'tsv', query]);
        // The nested comment is run as the `SELECT 1` its canonical text is, and writes nothing.
        const refused = why === undefined ? result.code === 0 : result.code !== 0 && why.test(result.stderr);
        if (!refused || existsSync(out)) failures.push(`${mode}: ${query}: exit ${result.code}, file ${existsSync(out)}: ${result.stderr.trim()}`);
      }),
    );
  }
  expect(failures).toEqual([]);
  expect(await sqlValue(dataDir, 'SELECT count() FROM logpulse.events FINAL')).toBe(String(LINES));
}

async function expectAllAccepted(mode: string): Promise<void> {
  const failures: string[] = [];
  for (const { sql, params } of ACCEPTED) {
    const args = Object.entries(params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    const result = await runLogpulse(['sql', '--data-dir', dataDir, '--format', 'tsv', ...args, sql]);
    if (result.code !== 0) failures.push(`${mode}: ${sql}: exit ${result.code}: ${result.stderr.trim()}`);
  }
  expect(failures).toEqual([]);
}

describe('fault: hostile SQL through logpulse sql', () => {
  it('refuses every write, file, multi-statement, KILL, SYSTEM, settings and outside-reaching query on the embedded store', async () => {
    expect(existsSync(queryPortFile(dataDir))).toBe(false);
    await expectAllRefused('embedded', 1);
    await expectAllAccepted('embedded');
  }, 300_000);

  it('refuses the same through a running receiver, and a stale port file never leaks the token', async () => {
    const port = await freeLoopbackPort();
    const receiver: LogpulseChild = spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), join(root.path, 'access.log')]);
    try {
      await waitReady(receiver, port);
      await waitFor('query.port', () => (existsSync(queryPortFile(dataDir)) ? true : undefined), 10_000);
      await expectAllRefused('endpoint', 4);
      await expectAllAccepted('endpoint');
    } finally {
      expect((await receiver.stop('SIGKILL')).signal).toBe('SIGKILL');
    }

    // The SIGKILL left query.port behind; another program now listens on its port.
    const [portLine = '', token = ''] = readFileSync(queryPortFile(dataDir), 'utf8').split('\n');
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
    await new Promise<void>((resolve, reject) => {
      foreign.once('error', reject);
      foreign.listen(Number(portLine), '127.0.0.1', () => resolve());
    });
    try {
      // The dead receiver's pid may be reused: written as this process's, only the proof can tell.
      writeFileSync(queryPortFile(dataDir), `${portLine}\n${token}\n${process.pid}\n`, { mode: 0o600 });
      expect(await sqlValue(dataDir, 'SELECT count() FROM logpulse.events FINAL')).toBe(String(LINES));
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
    }
    expect(token.length).toBeGreaterThan(20);
    expect(received.join('\n')).not.toContain(token);
    expect(received.join('\n')).not.toContain('SELECT');
    console.log(`faults f query path: ${REFUSED.length + 1} hostile statements refused on the embedded store and through the endpoint, ${ACCEPTED.length} read queries run; stale port: ${received.length} request(s) to the foreign process, token never sent`);
  }, 300_000);
});
