import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSink } from '../../../src/pipeline/consumer.js';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { OtlpSource } from '../../../src/sources/otlp/index.js';
import { otlpTypes } from '../../../src/sources/otlp/otlp_proto.js';
import { RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { ACCESS_LINE, jsonRequest, post, startEndpoint } from './otlp_harness.js';

const dataDir = tempDir('otlp-refusals');
const tokens = join(dataDir, 'ingest_tokens');
writeFileSync(tokens, '# source token\nweb-1 s3cret-web-1\nweb-2 s3cret-web-2\n');
let store: Store;
let sink: ClickHouseSink;
let endpoint: OtlpSource;
const JSON_TYPE = { 'Content-Type': 'application/json' };
const auth = (token: string) => ({ ...JSON_TYPE, Authorization: `Bearer ${token}` });

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  endpoint = await startEndpoint(sink, { ingestTokensFile: tokens, maxBodyBytes: 64 * 1024, requestTimeoutMs: 1_000, timeoutCheckIntervalMs: 200 });
});

afterAll(async () => {
  await endpoint.shutdown();
  await sink.shutdown();
  await store.close();
});

async function count(source: string): Promise<number> {
  return Number((await store.query('SELECT count() FROM logpulse.events FINAL WHERE source = {source:String}', { source }, 'TSV')).trim());
}

function statusOf(body: Buffer): { code: number; message: string } {
  return JSON.parse(body.toString()) as { code: number; message: string };
}

describe('OTLP/HTTP refusals', () => {
  it('answers 401 without a token or with a wrong one, 403 for another source, and never echoes the token', async () => {
    const body = jsonRequest('web-1', [ACCESS_LINE(1)]);
    expect((await post(endpoint.url, body, JSON_TYPE)).status).toBe(401);
    const wrong = await post(endpoint.url, body, auth('s3cret-web-9'));
    expect(wrong.status).toBe(401);
    expect(statusOf(wrong.body)).toEqual({ code: 16, message: 'otlp: the bearer token is not valid' });
    const other = await post(endpoint.url, body, auth('s3cret-web-2'));
    expect(other.status).toBe(403);
    expect(other.body.toString()).not.toContain('s3cret');
    expect(await count('web-1')).toBe(0);
    expect((await post(endpoint.url, body, auth('s3cret-web-1'))).status).toBe(200);
    expect(await count('web-1')).toBe(1);
  });

  it('answers 413 to a body over the limit and to a gzip bomb, in the request encoding', async () => {
    const big = jsonRequest('web-1', Array.from({ length: 1_000 }, (_, i) => ACCESS_LINE(i)));
    expect((await post(endpoint.url, big, auth('s3cret-web-1'))).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const answer = await post(endpoint.url, bomb, { ...auth('s3cret-web-1'), 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    const status = otlpTypes().status.toObject(otlpTypes().status.decode(answer.body)) as { code: number; message: string };
    expect(status.message).toBe('otlp: decompressed body exceeds the limit of 65536 bytes');
  });

  it('answers 400 to malformed protobuf and JSON', async () => {
    const proto = await post(endpoint.url, Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]), { ...auth('s3cret-web-1'), 'Content-Type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    const json = await post(endpoint.url, Buffer.from('{"resourceLogs": ['), auth('s3cret-web-1'));
    expect(json.status).toBe(400);
    expect(statusOf(json.body).code).toBe(3);
    const shape = await post(endpoint.url, Buffer.from('{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": "x"}]}]}]}'), auth('s3cret-web-1'));
    expect(shape.status).toBe(400);
  });

  it("cuts off a slow sender and a client that disconnects mid-body, while a good client's lines all arrive", async () => {
    const url = new URL(endpoint.url);
    const slow = connect(Number(url.port), url.hostname);
    slow.write(`POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer s3cret-web-2\r\nContent-Length: 1000\r\n\r\n{"resource`);
    const slowClosed = new Promise<string>((resolve) => {
      let text = '';
      slow.on('data', (d: Buffer) => (text += d.toString()));
      slow.on('close', () => resolve(text));
    });
    const gone = connect(Number(url.port), url.hostname);
    gone.write(`POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer s3cret-web-2\r\nContent-Length: 1000\r\n\r\n{"resource`);
    gone.destroy();
    for (let i = 0; i < 10; i++) {
      const answer = await post(endpoint.url, jsonRequest('web-2', [ACCESS_LINE(100 + i), ACCESS_LINE(200 + i)]), auth('s3cret-web-2'));
      expect(answer.status).toBe(200);
    }
    expect(await count('web-2')).toBe(20);
    expect(await slowClosed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 503 with Retry-After while the sink holds its writes, and takes requests again once it stores', async () => {
    // A sink that keeps every write pending, as ClickHouseSink does while ClickHouse is down and
    // its queue is full: chDB cannot be stopped from outside, so this one test uses a stand-in.
    const held: Array<() => void> = [];
    const holding: EventSink = {
      start: async () => {},
      write: (_events: unknown, onStored: () => void) => new Promise<void>((resolve) => held.push(() => { onStored(); resolve(); })),
      flush: async () => {},
      shutdown: async () => {},
    } as unknown as EventSink;
    const paused = await startEndpoint(holding, { sinkWaitMs: 100, retryAfterSeconds: 7 });
    try {
      const first = await post(paused.url, jsonRequest('web-3', [ACCESS_LINE(1)]), JSON_TYPE);
      expect(first.status).toBe(503);
      expect(first.headers['retry-after']).toBe('7');
      const second = await post(paused.url, jsonRequest('web-3', [ACCESS_LINE(2)]), JSON_TYPE);
      expect(second.status).toBe(503);
      expect(held).toHaveLength(1);
      held.splice(0).forEach((release) => release());
      const resumed = post(paused.url, jsonRequest('web-3', [ACCESS_LINE(1)]), JSON_TYPE);
      await new Promise((r) => setTimeout(r, 20));
      held.splice(0).forEach((release) => release());
      expect((await resumed).status).toBe(200);
    } finally {
      await paused.shutdown();
    }
  });
});
