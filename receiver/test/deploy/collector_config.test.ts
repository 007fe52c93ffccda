import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openStore, type Store } from '../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import type { OtlpSource } from '../../src/sources/otlp/index.js';
import { otlpTypes } from '../../src/sources/otlp/otlp_proto.js';
import { jsonRows, RecordingLogger, tempDir } from '../sinks/sink_fixtures.js';
import { post, startEndpoint } from '../sources/otlp/otlp_harness.js';

/**
 * deploy/otelcol-logpulse.yaml. No Collector binary runs here: the config is checked key by key
 * against what logpulse relies on, and the Collector-shaped fixture (what that pipeline sends: the
 * filelog receiver's attributes, resourcedetection's host.name) is posted as the otlphttp exporter
 * posts it, protobuf + gzip with the bearer header, to a real endpoint in front of chDB.
 */
const CONFIG_PATH = fileURLToPath(new URL('../../../deploy/otelcol-logpulse.yaml', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/sources/otlp/collector_filelog.json', import.meta.url));
const TOKEN = 'collector-token-8d2e';

interface CollectorConfig {
  extensions: Record<string, { directory?: string; create_directory?: boolean }>;
  receivers: Record<string, Record<string, unknown>>;
  processors: Record<string, Record<string, unknown>>;
  exporters: Record<string, { endpoint: string; encoding: string; compression: string; headers: Record<string, string>; retry_on_failure: Record<string, unknown>; sending_queue: Record<string, unknown> }>;
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

const config = parse(readFileSync(CONFIG_PATH, 'utf8')) as CollectorConfig;
const pipeline = config.service.pipelines['logs']!;
const filelog = config.receivers[pipeline.receivers[0]!]!;
const exporter = config.exporters[pipeline.exporters[0]!]!;

/** The attributes the filelog receiver puts on a record, by its include_* options (the receiver's documented names). */
function filelogAttributes(receiver: Record<string, unknown>): string[] {
  const names: Record<string, string> = {
    include_file_name: 'log.file.name',
    include_file_path: 'log.file.path',
    include_file_record_number: 'log.file.record_number',
    include_file_record_offset: 'log.file.record_offset',
  };
  return Object.entries(names).filter(([option]) => receiver[option] === true).map(([, attribute]) => attribute).sort();
}

describe('the Collector config', () => {
  it('tails with offsets kept in the storage extension, from the beginning, with path and byte offset on every record', () => {
    expect(pipeline.receivers).toEqual(['filelog']);
    expect(filelog['start_at']).toBe('beginning');
    expect(filelog['storage']).toBe('file_storage');
    expect(config.service.extensions).toContain('file_storage');
    expect(config.extensions['file_storage']?.directory).toMatch(/^\//);
    expect(filelogAttributes(filelog)).toEqual(['log.file.name', 'log.file.path', 'log.file.record_offset']);
    // Lines reach logpulse raw: no parsing operator rewrites the body.
    expect(filelog['operators']).toEqual([]);
  });

  it('names the host with resourcedetection and exports over otlphttp with gzipped protobuf, the bearer token and durable retries', () => {
    expect(pipeline.processors[0]).toBe('resourcedetection');
    expect(config.processors['resourcedetection']?.['detectors']).toEqual(['system']);
    expect(pipeline.exporters).toEqual(['otlphttp/logpulse']);
    expect(exporter.endpoint).toBe('${env:LOGPULSE_URL}');
    expect(exporter.encoding).toBe('proto');
    expect(exporter.compression).toBe('gzip');
    expect(exporter.headers['Authorization']).toBe('Bearer ${env:LOGPULSE_INGEST_TOKEN}');
    expect(exporter.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: 0 });
    expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage' });
    // Every component named in the pipeline is defined, and every defined one is used.
    expect(Object.keys(config.receivers)).toEqual(pipeline.receivers);
    expect(Object.keys(config.processors).sort()).toEqual([...pipeline.processors].sort());
    expect(Object.keys(config.exporters)).toEqual(pipeline.exporters);
  });

  it('matches the fixture of what such a pipeline sends', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { resourceLogs: Array<{ resource: { attributes: Array<{ key: string }> }; scopeLogs: Array<{ logRecords: Array<{ attributes: Array<{ key: string }> }> }> }> };
    const [resource] = fixture.resourceLogs;
    expect(resource!.resource.attributes.map((a) => a.key)).toContain('host.name');
    for (const record of resource!.scopeLogs.flatMap((s) => s.logRecords)) {
      expect(record.attributes.map((a) => a.key).sort()).toEqual(filelogAttributes(filelog));
    }
  });
});

describe('a Collector export as that config sends it', () => {
  const dataDir = tempDir('otelcol-config');
  let sink: ClickHouseSink;
  let store: Store;
  let endpoint: OtlpSource;

  beforeAll(async () => {
    sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
    await sink.start();
    store = await openStore({ dataDir });
    endpoint = await startEndpoint(sink, { ingestToken: TOKEN });
  });

  afterAll(async () => {
    await endpoint.shutdown();
    await sink.shutdown();
    await store.close();
  });

  it('is stored under its host and file at its offsets, and a retry of it folds', async () => {
    const { request } = otlpTypes();
    const message = request.fromObject(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>);
    const body = gzipSync(request.encode(message).finish());
    const headers = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip', Authorization: exporter.headers['Authorization']!.replace('${env:LOGPULSE_INGEST_TOKEN}', TOKEN) };
    const first = await post(endpoint.url, body, headers);
    expect(first.status).toBe(200);
    const partial = otlpTypes().response.decode(first.body) as unknown as { partialSuccess?: { rejectedLogRecords?: { toString(): string } } };
    // The nginx error-log line in the fixture is no access line.
    expect(partial.partialSuccess?.rejectedLogRecords?.toString()).toBe('1');
    expect((await post(endpoint.url, body, headers)).status).toBe(200);
    const rows = jsonRows(await store.query("SELECT source, file, offset, count() AS copies FROM logpulse.events FINAL WHERE source = 'web-7' GROUP BY source, file, offset ORDER BY offset", {}, 'JSONEachRow'));
    expect(rows.map((r) => `${String(r.source)} ${String(r.file)}@${Number(r.offset)} x${Number(r.copies)}`)).toEqual([
      'web-7 /var/log/nginx/access.log@0 x1',
      'web-7 /var/log/nginx/access.log@131 x1',
      'web-7 /var/log/nginx/access.log@262 x1',
    ]);
    // Without the token the Collector gets 401, as it would with a wrong LOGPULSE_INGEST_TOKEN.
    expect((await post(endpoint.url, body, { ...headers, Authorization: 'Bearer wrong' })).status).toBe(401);
  });
});
