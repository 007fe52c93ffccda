import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { eventIdAt, fileKey } from '../../../src/pipeline/event_id.js';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { OtlpSource } from '../../../src/sources/otlp/index.js';
import { jsonRows, RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { ACCESS_LINE, jsonRequest, post, startEndpoint } from './otlp_harness.js';

const COLLECTOR_BODY = readFileSync(fileURLToPath(new URL('../../fixtures/sources/otlp/collector_filelog.json', import.meta.url)));
const dataDir = tempDir('otlp-chdb');
let store: Store;
let sink: ClickHouseSink;
let endpoint: OtlpSource;

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  endpoint = await startEndpoint(sink);
});

afterAll(async () => {
  await endpoint.shutdown();
  await sink.shutdown();
  await store.close();
});

async function rows(source: string): Promise<Array<Record<string, unknown>>> {
  const sql = 'SELECT toString(event_id) AS id, source, file, offset, path, raw FROM logpulse.events FINAL WHERE source = {source:String} ORDER BY path';
  return jsonRows(await store.query(sql, { source }, 'JSONEachRow'));
}

async function shipThroughSdk(exporter: LogRecordExporter, host: string, lines: readonly string[]): Promise<void> {
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'host.name': host }), processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('access-log');
  for (const line of lines) logger.emit({ body: line, severityNumber: SeverityNumber.INFO, attributes: { 'log.file.path': '/var/log/nginx/access.log' } });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('OTLP/HTTP ingest into chDB', () => {
  it.each([
    ['JSON', (url: string) => new JsonLogExporter({ url })],
    ['protobuf', (url: string) => new ProtoLogExporter({ url, compression: 'gzip' as never })],
  ])('stores each line sent by the OpenTelemetry logs SDK over %s once', async (name, exporter) => {
    const host = `sdk-${name}`;
    const lines = Array.from({ length: 5 }, (_, i) => ACCESS_LINE(i));
    await shipThroughSdk(exporter(endpoint.url), host, lines);
    // A second export of the same lines (a retry) folds onto the first: content + ordinal per request.
    const stored = await rows(host);
    expect(stored.map((r) => r.raw).sort()).toEqual([...lines].sort());
    expect(new Set(stored.map((r) => r.id)).size).toBe(5);
  });

  it('stores a Collector filelog export with its host, file and offsets, and reports the error-log line as rejected', async () => {
    const answer = await post(endpoint.url, COLLECTOR_BODY, { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body.toString()) as { partialSuccess?: { rejectedLogRecords: string; errorMessage: string } };
    expect(body.partialSuccess?.rejectedLogRecords).toBe('1');
    expect(body.partialSuccess?.errorMessage).toMatch(/^1 of 4 log records rejected/);
    const stored = await rows('web-7');
    expect(stored.map((r) => `${String(r.file)}@${Number(r.offset)}`).sort()).toEqual([
      '/var/log/nginx/access.log@0', '/var/log/nginx/access.log@131', '/var/log/nginx/access.log@262',
    ]);
    expect(stored).toHaveLength(3);
    // Two identical lines at different offsets stay two events; a resend folds onto them.
    expect(new Set(stored.map((r) => r.id)).size).toBe(3);
    expect((await post(endpoint.url, COLLECTOR_BODY, { 'Content-Type': 'application/json' })).status).toBe(200);
    expect(await rows('web-7')).toHaveLength(3);
  });

  it('gives a line shipped with the file id and offset the id a local tail gives it', async () => {
    const fileId = '0123456789abcdef';
    const lines = [ACCESS_LINE(1), ACCESS_LINE(2)];
    const offsets = [0, Buffer.byteLength(ACCESS_LINE(1)) + 1];
    const body = jsonRequest('agent-1', lines, (i) => [
      { key: 'logpulse.file.fingerprint', value: { stringValue: fileId } },
      { key: 'logpulse.file.offset', value: { intValue: String(offsets[i]) } },
      { key: 'log.file.path', value: { stringValue: '/srv/www/access.log' } },
    ]);
    const answer = await post(endpoint.url, body, { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({});
    const stored = await rows('agent-1');
    expect(stored.map((r) => BigInt(String(r.id))).sort()).toEqual(offsets.map((o) => eventIdAt(fileKey(fileId), o)).sort());
  });
});
