import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDemoFile } from '../../src/demo/index.js';
import { decodeExportRequest } from '../../src/sources/otlp/index.js';
import { otlpTypes } from '../../src/sources/otlp/otlp_proto.js';
import { freeLoopbackPort, spawnLogpulse, sqlValue, tempDir, waitFor, waitReady, type LogpulseChild } from './logpulse_process.js';

/** The agent against a receiver that is not there, then frozen (SIGSTOP), then throttling. */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const running = new Set<LogpulseChild>();
afterEach(async () => {
  for (const child of running) {
    child.child.kill('SIGCONT');
    await child.stop('SIGKILL');
  }
  running.clear();
});
function track(child: LogpulseChild): LogpulseChild {
  running.add(child);
  return child;
}

async function metric(port: number, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('the agent while the receiver is away', () => {
  it('waits for a receiver that is not running yet and for one that is frozen, stops meanwhile, then delivers every line once', async () => {
    const dir = await tempDir('ship-outage');
    try {
      const log = join(dir.path, 'access.log');
      const generated = join(dir.path, 'generated.log');
      await writeDemoFile({ output: generated, lines: 6_000, seed: 7, startTime: Date.now() - 600_000, linesPerSecond: 20 });
      const text = await readFile(generated);
      const half = text.indexOf(0x0a, text.length >> 1) + 1;
      await appendFile(log, text.subarray(0, half));
      const dataDir = join(dir.path, 'central');
      const [metricsPort, otlpPort, agentMetrics] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];

      const args = ['ship', '--to', `http://127.0.0.1:${otlpPort}`, '--source', 'web-9', '--data-dir', join(dir.path, 'agent'), '--status', 'off',
        '--metrics-port', String(agentMetrics), '--batch-lines', '500', '--retry-initial-ms', '100', '--retry-max-ms', '500', '--request-timeout-ms', '1000', log];
      const agent = track(spawnLogpulse(args));
      await waitFor('the agent failing to connect', async () => ((await metric(agentMetrics, 'logpulse_ship_requests_total{outcome="unreachable"}')) >= 2 ? true : undefined), 20_000);
      expect(await metric(agentMetrics, 'logpulse_ship_lines_total')).toBe(0);
      // Nothing was stored, so all that was read is still lag; /readyz says the receiver is not storing.
      expect(await metric(agentMetrics, 'logpulse_ship_lag_bytes')).toBe(half);
      expect((await fetch(`http://127.0.0.1:${agentMetrics}/readyz`)).status).toBe(503);

      const receiver = track(spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(metricsPort), '--otlp-port', String(otlpPort), '--flush-interval-ms', '200']));
      await waitReady(receiver, metricsPort);
      await waitFor('first half stored', async () => ((await metric(agentMetrics, 'logpulse_ship_lag_bytes')) === 0 ? true : undefined), 30_000);

      // Frozen, not gone: connections open, no answer. The agent's requests time out and are retried.
      const before = await metric(agentMetrics, 'logpulse_ship_requests_total{outcome="unreachable"}');
      receiver.child.kill('SIGSTOP');
      await appendFile(log, text.subarray(half));
      await waitFor('requests timing out', async () => ((await metric(agentMetrics, 'logpulse_ship_requests_total{outcome="unreachable"}')) >= before + 2 ? true : undefined), 20_000);
      expect(await metric(agentMetrics, 'logpulse_ship_lag_bytes')).toBeGreaterThan(0);
      // Stopped meanwhile, the agent ends in bounded time and keeps what was not stored for its next start.
      const stopAt = Date.now();
      expect((await agent.stop('SIGTERM')).code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(15_000);
      const again = track(spawnLogpulse(args));
      receiver.child.kill('SIGCONT');
      await waitFor('second half stored', async () => ((await metric(agentMetrics, 'logpulse_ship_lag_bytes')) === 0 ? true : undefined), 30_000);

      expect(await sqlValue(dataDir, "SELECT concat(toString(count()), ' ', toString(uniqExact(event_id))) FROM logpulse.events FINAL")).toBe('6000 6000');
      expect((await again.stop('SIGTERM')).code).toBe(0);
      expect((await receiver.stop('SIGTERM')).code).toBe(0);
    } finally {
      await dir.dispose();
    }
  }, 120_000);

  it('honours Retry-After on 429 and reads nothing new while its request is refused', async () => {
    // A stand-in server, since a real receiver answers 429 only with 64 requests waiting on its
    // store: it refuses the first three requests with 429 and Retry-After: 1, then stores.
    const dir = await tempDir('ship-429');
    const requests: Array<{ at: number; records: string[]; authorization: string | undefined }> = [];
    const token = 'ship-token-71c0ffee';
    const ok = Buffer.from(otlpTypes().response.encode({}).finish());
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const [resource] = decodeExportRequest(gunzipSync(Buffer.concat(chunks)), 'protobuf');
        requests.push({ at: Date.now(), records: resource!.records.map((r) => r.body ?? ''), authorization: req.headers.authorization });
        if (requests.length <= 3) {
          res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/x-protobuf' }).end(otlpTypes().status.encode({ code: 8, message: 'slow down' }).finish());
        } else {
          res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(ok);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const log = join(dir.path, 'access.log');
      const lines = Array.from({ length: 50 }, (_, i) => `192.0.2.${i} - - [06/Mar/2024:08:00:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 ${i} "-" "curl/8"`);
      await appendFile(log, `${lines.join('\n')}\n`);
      const port = (server.address() as AddressInfo).port;
      const agent = track(spawnLogpulse(['ship', '--to', `http://127.0.0.1:${port}`, '--data-dir', join(dir.path, 'agent'), '--status', 'off',
        '--batch-lines', '10', '--max-in-flight', '1', '--retry-initial-ms', '20', '--retry-max-ms', '40', log], { LOGPULSE_SHIP_TOKEN: token }));
      await waitFor('all five batches accepted', () => (requests.length >= 3 + 5 ? true : undefined), 20_000);
      await sleep(300);
      // The running agent has not mapped the ClickHouse engine's library (the receiver's import maps libchdb).
      const maps = await readFile(`/proc/${agent.child.pid}/maps`, 'utf8');
      expect(maps).toContain('/node');
      expect(maps).not.toMatch(/chdb/i);
      // The refused batch came back after the server's second, not the 20-40 ms backoff; nothing else was sent meanwhile.
      for (let i = 1; i <= 3; i++) {
        expect(requests[i]!.records).toEqual(requests[0]!.records);
        expect(requests[i]!.at - requests[i - 1]!.at).toBeGreaterThanOrEqual(950);
      }
      expect(requests.slice(3).flatMap((r) => r.records)).toEqual(lines);
      const result = await agent.stop('SIGTERM');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('429');
      // The token from the environment goes with every request and into no log line.
      expect(new Set(requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${token}`]));
      expect(result.stderr).not.toContain(token);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dir.dispose();
    }
  }, 60_000);
});
