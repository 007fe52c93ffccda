import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startClickHouseServer, type ClickHouseServerHandle } from '../engines/clickhouse_server.js';
import { StoreConnectError } from '../../src/clickhouse/index.js';
import { ClickHouseSink, type ClickHouseSinkOptions } from '../../src/sinks/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessEvent, accessEvents, jsonRows, RecordingLogger, RecordingTelemetry, tempDir } from './sink_fixtures.js';

// Debian's clickhouse-server 18.16 predates DateTime64 and LowCardinality, so these tests keep to
// their own tables with the events' columns in older types and run the sink with migrate: false.
// Times are kept as String: the transport carries the sink's DateTime64 text as it is, and
// chdb_sink.test.ts checks that ClickHouse 26 reads that text into the real schema.
let server: ClickHouseServerHandle;
let admin: ClickHouseClient;

async function createEventsTable(table: string, methodType = 'String'): Promise<void> {
  await admin.command({
    query: `CREATE TABLE default.${table} (
      event_id UInt64, ts String, received_at String, source String, file String, offset Int64, vhost String, kind String,
      client String, user String, method ${methodType}, path String, section String, status UInt16, protocol String,
      bytes UInt64, referer String, user_agent String, direction String, duration_ms UInt32, raw String
    ) ENGINE = ReplacingMergeTree() ORDER BY (kind, source, event_id)`,
  });
}

async function scalar(query: string): Promise<string> {
  return (await (await admin.query({ query, format: 'TabSeparated' })).text()).trim();
}

function sinkOptions(table: string, overrides: Partial<ClickHouseSinkOptions> = {}): ClickHouseSinkOptions {
  return { url: server.urlWithCredentials, dataDir: '', database: 'default', table, migrate: false, logger: new RecordingLogger(), ...overrides };
}

beforeAll(async () => {
  server = await startClickHouseServer();
  admin = createClient({ url: server.httpUrl, username: server.user, password: server.password });
});

afterAll(async () => {
  await admin?.close();
  await server?.dispose();
});

describe('ClickHouseSink on a ClickHouse server (Debian 18.16, HTTP)', () => {
  it('connects with the credentials of the URL and names the server without the password', async () => {
    await createEventsTable('events_connect');
    const sink = new ClickHouseSink(sinkOptions('events_connect'));
    await sink.start();
    expect(sink.target).toBe(`http://${server.user}@127.0.0.1:${server.httpPort}/`);
    await sink.write(accessEvents(3), () => {});
    await sink.shutdown();
    expect(await scalar('SELECT count() FROM default.events_connect FINAL')).toBe('3');
  });

  it('takes credentials from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD when the URL has none', async () => {
    const sink = new ClickHouseSink(sinkOptions('events_connect', {
      url: server.httpUrl,
      env: { CLICKHOUSE_USER: server.user, CLICKHOUSE_PASSWORD: server.password },
    }));
    await sink.start();
    await sink.shutdown();
  });

  it('fails to start on wrong credentials with an error naming the URL but not the password', async () => {
    const sink = new ClickHouseSink(sinkOptions('events_connect', { url: `http://${server.user}:not-it@127.0.0.1:${server.httpPort}` }));
    const error = await sink.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConnectError);
    expect((error as Error).message).toMatch(new RegExp(`^clickhouse: connect to http://ingest@127\\.0\\.0\\.1:${server.httpPort}/: .*Wrong password`));
    expect((error as Error).message).not.toContain('not-it');
  });

  it('fails to start when nothing listens, naming the URL', async () => {
    const port = await freePort();
    const sink = new ClickHouseSink(sinkOptions('events_connect', { url: `http://u:secret@127.0.0.1:${port}` }));
    await expect(sink.start()).rejects.toThrow(`clickhouse: connect to http://u@127.0.0.1:${port}/: `);
    await expect(sink.start()).rejects.not.toThrow('secret');
  });

  it('sends batches of batch_rows rows, the rest when flushed', async () => {
    await createEventsTable('events_batches');
    // One row per insert block: a materialized view runs once per insert.
    await admin.command({ query: 'CREATE TABLE default.insert_sizes (rows UInt64) ENGINE = Log' });
    await admin.command({ query: 'CREATE MATERIALIZED VIEW default.insert_sizes_mv TO default.insert_sizes AS SELECT count() AS rows FROM default.events_batches' });
    const telemetry = new RecordingTelemetry();
    const sink = new ClickHouseSink(sinkOptions('events_batches', { batchRows: 10, flushIntervalMs: 3_600_000, telemetry }));
    await sink.start();
    await sink.write(accessEvents(17, 0), () => {});
    await sink.write(accessEvents(18, 10_000), () => {});
    await sink.flush();
    await sink.shutdown();
    // Sorted: a Log table read by several threads gives its rows in no set order.
    expect(await scalar("SELECT arrayStringConcat(arrayMap(x -> toString(x), arraySort(groupArray(rows))), ',') FROM default.insert_sizes")).toBe('5,10,10,10');
    expect(telemetry.rows).toEqual({ written: 35, retried: 0, failed: 0 });
  });

  it('blocks writers during an outage and stores every event exactly once after it', async () => {
    await createEventsTable('events_outage');
    const telemetry = new RecordingTelemetry();
    const logger = new RecordingLogger();
    const sink = new ClickHouseSink(sinkOptions('events_outage', {
      batchRows: 20, maxQueueRows: 50, flushIntervalMs: 50, retryInitialMs: 50, retryMaxMs: 400, failureLogIntervalMs: 60_000, telemetry, logger,
    }));
    await sink.start();
    const stored: number[] = [];
    await sink.write(accessEvents(30, 0), () => stored.push(0));
    await sink.flush();
    expect(sink.storing).toBe(true);

    await server.stop('SIGKILL');
    let released = false;
    const blocked = sink.write(accessEvents(60, 100_000), () => stored.push(1)).then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(released).toBe(false);
    expect(stored).toEqual([0]);
    // Rows that wait out an outage are retried, not failed: they are all stored in the end.
    expect(telemetry.rows.failed).toBe(0);
    expect(sink.storing).toBe(false);

    await server.restart();
    await blocked;
    expect(sink.storing).toBe(true);
    await sink.write(accessEvents(10, 200_000), () => stored.push(2));
    await sink.flush();
    await sink.shutdown();

    expect(stored).toEqual([0, 1, 2]);
    expect(await scalar('SELECT count() FROM default.events_outage FINAL')).toBe('100');
    expect(await scalar('SELECT uniqExact(event_id) FROM default.events_outage')).toBe('100');
    expect(telemetry.rows.written).toBe(100);
    expect(telemetry.rows.retried).toBeGreaterThan(0);
    expect(telemetry.rows.failed).toBe(0);
    // Failures are logged at a bounded rate (one per minute here) as warnings with the attempt
    // count, then the recovery once; nothing at error level, as nothing was lost.
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields.attempt).toBe(1);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(logger.lines.filter((line) => line.message === 'clickhouse insert recovered')).toHaveLength(1);
  });

  it('carries times from 1900 to 2299 as DateTime64 text, before 2001 and far ahead included', async () => {
    await createEventsTable('events_times');
    const times = [
      Date.UTC(1900, 0, 1), Date.UTC(1950, 5, 1, 12, 34, 56, 789), Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0,
      Date.UTC(2000, 1, 29, 0, 0, 0, 1), 999_999_999_999, Date.UTC(2100, 1, 28, 23, 59, 59, 999), Date.UTC(2250, 0, 1), Date.UTC(2299, 11, 31, 23, 59, 59, 999),
    ];
    const logger = new RecordingLogger();
    const sink = new ClickHouseSink(sinkOptions('events_times', { logger }));
    await sink.start();
    await sink.write(times.map((ts, i) => accessEvent(i * 100, { ts, receivedAt: ts })), () => {});
    await sink.shutdown();
    expect(logger.lines).toEqual([]);
    const rows = jsonRows((await (await admin.query({ query: 'SELECT ts, received_at FROM default.events_times ORDER BY offset', format: 'JSONEachRow' })).text()));
    const text = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
    expect(rows).toEqual(times.map((ms) => ({ ts: text(ms), received_at: text(ms) })));
  });

  it('stores the other rows of a batch the server refuses for one row, dead-letters that row and goes on', async () => {
    // A table whose method column takes 7 bytes: the server refuses PROPFIND (code 131), and with it the whole insert.
    await createEventsTable('events_refused', 'FixedString(7)');
    const dataDir = tempDir('server-dead-letter');
    const telemetry = new RecordingTelemetry();
    const logger = new RecordingLogger();
    const sink = new ClickHouseSink(sinkOptions('events_refused', { dataDir, batchRows: 1_000, telemetry, logger }));
    await sink.start();
    const events = accessEvents(10, 0);
    events[6] = accessEvent(600, { method: 'PROPFIND', raw: '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "PROPFIND /dav\tx HTTP/1.1" 207 0' });
    const stored: number[] = [];
    await sink.write(events, () => stored.push(0));
    await sink.flush();
    // The stream goes on: the next batch is stored as usual.
    await sink.write(accessEvents(5, 10_000), () => stored.push(1));
    await sink.flush();
    await sink.shutdown();

    expect(stored).toEqual([0, 1]);
    expect(await scalar('SELECT count() FROM default.events_refused')).toBe('14');
    expect(await scalar("SELECT count() FROM default.events_refused WHERE offset = 600")).toBe('0');
    expect(telemetry.rows).toEqual({ written: 14, retried: 0, failed: 1 });
    const letters = readFileSync(join(dataDir, 'dead_letter', 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      table: 'default.events_refused', code: 131, source: 'web-9', file: '/var/log/nginx/access.log', offset: 600,
      event_id: String(events[6]?.eventId), raw: events[6]?.raw, ts: '2024-03-06 08:00:00.600',
    });
    expect(String(letters[0]?.message)).toMatch(/FixedString/);
    expect(Date.parse(String(letters[0]?.at))).toBeGreaterThan(Date.now() - 60_000);
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ rows: 1, code: 131 });
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });
});
