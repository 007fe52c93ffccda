import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import type { EventSink } from '../../../src/pipeline/consumer.js';
import { noopTelemetry } from '../../../src/model/telemetry.js';
import type { ReceiverTelemetry, SyslogConnectionOutcome, SyslogMessageOutcome, SyslogTransport } from '../../../src/model/telemetry.js';
import { SyslogSource } from '../../../src/sources/syslog/index.js';
import type { SyslogSourceOptions } from '../../../src/sources/syslog/index.js';
import type { Store } from '../../../src/clickhouse/index.js';
import { jsonRows } from '../../sinks/sink_fixtures.js';

/** Access lines as production servers write them: junk requests, 408s, IPv6 clients, quoted agents. */
export const ACCESS_LINES: readonly string[] = readFileSync(fileURLToPath(new URL('../../fixtures/sources/syslog/access.log', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

export const ACCESS_LOG_FIXTURE = fileURLToPath(new URL('../../fixtures/sources/syslog/access.log', import.meta.url));

/** Counts the syslog events, so tests can say what was accepted, refused and closed. */
export class SyslogCounts implements ReceiverTelemetry {
  readonly messages = new Map<string, number>();
  readonly connections = new Map<SyslogConnectionOutcome, number>();
  linesRead = noopTelemetry.linesRead;
  linesProcessed = noopTelemetry.linesProcessed;
  invalidLine = noopTelemetry.invalidLine;
  fileSkipped = noopTelemetry.fileSkipped;
  sinkRows = noopTelemetry.sinkRows;
  sinkQueueRows = noopTelemetry.sinkQueueRows;
  otlpRequest = noopTelemetry.otlpRequest;
  otlpRecords = noopTelemetry.otlpRecords;
  futureEvents = noopTelemetry.futureEvents;
  pathUnreadable = noopTelemetry.pathUnreadable;
  checkpointsEvicted = noopTelemetry.checkpointsEvicted;

  syslogMessages(transport: SyslogTransport, outcome: SyslogMessageOutcome, count: number): void {
    const key = `${transport} ${outcome}`;
    this.messages.set(key, (this.messages.get(key) ?? 0) + count);
  }

  syslogConnection(outcome: SyslogConnectionOutcome): void {
    this.connections.set(outcome, (this.connections.get(outcome) ?? 0) + 1);
  }

  message(transport: SyslogTransport, outcome: SyslogMessageOutcome): number {
    return this.messages.get(`${transport} ${outcome}`) ?? 0;
  }

  connection(outcome: SyslogConnectionOutcome): number {
    return this.connections.get(outcome) ?? 0;
  }
}

/** A syslog listener (UDP and TCP on free loopback ports) in front of a real pipeline into `sink`. */
export async function startListener(sink: EventSink, counts: SyslogCounts, options: Partial<SyslogSourceOptions> = {}): Promise<SyslogSource> {
  const pipeline = new Pipeline({ sink, consumers: [], telemetry: counts });
  const source = new SyslogSource(
    { udp: { host: '127.0.0.1', port: 0 }, tcp: { host: '127.0.0.1', port: 0 }, maxBatchAgeMs: 20, ...options },
    pipeline.handle,
    counts,
    (fileId) => pipeline.release(fileId),
  );
  await source.start();
  return source;
}

export interface StoredRow {
  id: string;
  source: string;
  file: string;
  offset: number;
  client: string;
  path: string;
  status: number;
  raw: string;
}

/** The stored events of `file` (e.g. `syslog:nginx`), deduplicated as dashboards read them (FINAL). */
export async function storedRows(store: Store, file: string): Promise<StoredRow[]> {
  const sql = 'SELECT toString(event_id) AS id, source, file, offset, client, path, status, raw FROM logpulse.events FINAL WHERE file = {file:String} ORDER BY raw';
  return jsonRows(await store.query(sql, { file }, 'JSONEachRow')) as unknown as StoredRow[];
}

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(what: string | (() => string), probe: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
}

/** Waits until `file` holds `count` rows in ClickHouse. */
export async function rowsArrive(store: Store, file: string, count: number, timeoutMs?: number): Promise<StoredRow[]> {
  let rows: StoredRow[] = [];
  await eventually(() => `${count} rows of ${file} (have ${rows.length})`, async () => (rows = await storedRows(store, file)).length >= count, timeoutMs);
  return rows;
}
