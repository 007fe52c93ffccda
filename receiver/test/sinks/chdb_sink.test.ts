import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_ENGINE_SETTINGS, applySchema, openStore, schemaStatements, type Store } from '../../src/clickhouse/index.js';
import { defaultSchemaFile } from '../../src/clickhouse/clickhouse_files.js';
import { ALERT_COLUMNS, INGEST_COLUMNS } from '../../src/sinks/encoders/row_encoder.js';
import { ClickHouseSink, EVENT_COLUMNS, EVENT_ROW_BINARY_LAYOUT, encodeEvents, encodeEventsRowBinary } from '../../src/sinks/index.js';
import { createParser } from '../../src/parsers/index.js';
import type { Event } from '../../src/model/event.js';
import { HIGH_TRAFFIC_ALERT, SOURCE_SILENT_ALERT, highTrafficMessage, sourceSilentMessage, type AlertTransition } from '../../src/alerts/index.js';
import { isPermanentInsertError } from '../../src/clickhouse/permanent_errors.js';
import { accessEvent, accessEvents, idOf, jsonRows, RecordingLogger, RecordingTelemetry, tempDir } from './sink_fixtures.js';

// chDB binds one data directory per process: every test of this file shares this one and keeps
// to its own table.
const dataDir = tempDir('chdb-sink');
// The events are from 2024: with the default 365-day TTL they would expire as they arrive.
const retentionDays = 3_650;
let store: Store;

function sinkFor(table: string, options: Partial<ConstructorParameters<typeof ClickHouseSink>[0]> = {}): ClickHouseSink {
  return new ClickHouseSink({ dataDir, table, retentionDays, logger: new RecordingLogger(), ...options });
}

async function engineOf(table: string): Promise<string> {
  return store.query('SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}', { db: 'logpulse', table }, 'TSV');
}

async function count(table: string, final = true): Promise<number> {
  return Number((await store.query(`SELECT count() FROM logpulse.${table}${final ? ' FINAL' : ''}`, {}, 'TSV')).trim());
}

beforeAll(async () => {
  store = await openStore({ dataDir });
});

afterAll(async () => {
  await store.close();
});

/** A HighTraffic firing transition as the traffic alert gives it (threshold 10 req/s, 2-minute window). */
function firingAt(value: number, at: number): AlertTransition {
  return { alert: HIGH_TRAFFIC_ALERT, state: 'firing', value, at, thresholdRps: 10, windowSeconds: 120, message: highTrafficMessage(value, at) };
}

/** Lines parsed by the combined parser, given the identity the pipeline would give them. */
function parsedEvents(firstOffset: number, lines: readonly string[]): Event[] {
  const parser = createParser('combined');
  return lines.map((line, i) => {
    const result = parser.parse(line);
    if (result.kind !== 'event') throw new Error(`fixture line did not parse: ${line}`);
    const offset = firstOffset + i * 100;
    return { ...result.fields, eventId: idOf('web-9', '/var/log/nginx/access.log', offset), source: 'web-9', file: '/var/log/nginx/access.log', offset, receivedAt: Date.UTC(2024, 2, 6) };
  });
}

describe('ClickHouseSink on chDB', () => {
  it('applies the full schema twice without changing it', async () => {
    await applySchema(store);
    const first = await store.query("SELECT name, create_table_query FROM system.tables WHERE database = 'logpulse' ORDER BY name", {}, 'JSONEachRow');
    await applySchema(store);
    const second = await store.query("SELECT name, create_table_query FROM system.tables WHERE database = 'logpulse' ORDER BY name", {}, 'JSONEachRow');
    expect(second).toBe(first);
    expect(jsonRows(first).map((row) => row.name)).toEqual(['alerts', 'events', 'ingest']);
    // The alert and line-count encoders write every column of their tables.
    for (const [table, written] of [['alerts', ALERT_COLUMNS], ['ingest', INGEST_COLUMNS]] as const) {
      const names = jsonRows(await store.query('SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String}', { db: 'logpulse', t: table }, 'JSONEachRow'));
      expect(names.map((row) => row.name).sort()).toEqual([...written].sort());
    }
    const columns = jsonRows(await store.query("SELECT name FROM system.columns WHERE database = 'logpulse' AND table = 'events' ORDER BY position", {}, 'JSONEachRow'));
    expect(columns.map((row) => row.name)).toEqual([...EVENT_COLUMNS]);
    const engine = await store.query("SELECT engine_full FROM system.tables WHERE database = 'logpulse' AND name = 'events'", {}, 'TSV');
    expect(engine).toContain('ReplacingMergeTree');
    expect(engine).toMatch(/ORDER BY \(kind, source, toStartOfHour\(ts\), event_id\)/);
    // History is kept: no TTL unless a retention is configured.
    expect(engine).not.toMatch(/\sTTL\s/);
    // chDB is ClickHouse 26: it knows every setting of EVENTS_ENGINE_SETTINGS, so each is set once.
    for (const { name, value } of EVENTS_ENGINE_SETTINGS) {
      expect(engine.split(`${name} = ${value.replace(/'/g, "\\'")}`)).toHaveLength(2);
    }
  });

  it('writes no table metadata when the schema is applied to a table that has every change', async () => {
    // A no-op ALTER (ADD COLUMN IF NOT EXISTS) still rewrites the metadata file; on a full disk the
    // rewrite left it empty and the store could not be opened again.
    await applySchema(store, { table: 'events_no_rewrite' });
    const metadata = jsonRows(await store.query("SELECT metadata_path FROM system.tables WHERE database = 'logpulse' AND name = 'events_no_rewrite'", {}, 'JSONEachRow'))[0]?.metadata_path;
    const path = join(dataDir, 'clickhouse', String(metadata));
    const before = statSync(path);
    await applySchema(store, { table: 'events_no_rewrite' });
    const after = statSync(path);
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  it('changes the retention of an existing table when retention_days differs', async () => {
    expect(await applySchema(store, { table: 'events_retention', retentionDays: 30 })).toBe('set');
    expect(await applySchema(store, { table: 'events_retention', retentionDays: 90 })).toBe('set');
    expect(await applySchema(store, { table: 'events_retention', retentionDays: 90 })).toBe('unchanged');
    const engine = await engineOf('events_retention');
    expect(engine).toContain('TTL ts + toIntervalDay(90)');
    expect(engine).not.toContain('toIntervalDay(30)');
  });

  it('removes the TTL an earlier version left when no retention is configured, and keeps the rows', async () => {
    // The table as the previous schema made it: a 365-day TTL on a 32-bit DateTime.
    await applySchema(store, { table: 'events_legacy_ttl', retentionDays });
    await store.command('ALTER TABLE logpulse.events_legacy_ttl MODIFY TTL toDateTime(ts) + INTERVAL 365 DAY');
    await store.command('SYSTEM STOP TTL MERGES logpulse.events_legacy_ttl');
    const old = accessEvents(3).map((e) => ({ ...e, ts: Date.UTC(2024, 2, 6) }));
    await store.insertTsv('logpulse.events_legacy_ttl', EVENT_COLUMNS, encodeEvents([{ events: old, start: 0, end: 3 }], 3), {});
    expect(await applySchema(store, { table: 'events_legacy_ttl' })).toBe('removed');
    expect(await engineOf('events_legacy_ttl')).not.toMatch(/\sTTL\s/);
    await store.command('SYSTEM START TTL MERGES logpulse.events_legacy_ttl');
    await store.command('OPTIMIZE TABLE logpulse.events_legacy_ttl FINAL');
    expect(await count('events_legacy_ttl')).toBe(3);
    expect(await applySchema(store, { table: 'events_legacy_ttl' })).toBe('unchanged');
  });

  it('keeps an event dated 2090 under a retention after OPTIMIZE FINAL: the TTL does not wrap', async () => {
    await applySchema(store, { table: 'events_far_future', retentionDays: 30 });
    const now = Date.now();
    const dates = [Date.UTC(2090, 5, 1), Date.UTC(2105, 11, 20), Date.UTC(2199, 11, 31), now, Date.UTC(2020, 0, 1)];
    const events = accessEvents(dates.length).map((e, i) => ({ ...e, ts: dates[i] as number }));
    await store.insertTsv('logpulse.events_far_future', EVENT_COLUMNS, encodeEvents([{ events, start: 0, end: events.length }], events.length), {});
    await store.command('OPTIMIZE TABLE logpulse.events_far_future FINAL');
    const kept = await store.query('SELECT toString(toDate32(ts)) FROM logpulse.events_far_future ORDER BY ts', {}, 'TSV');
    // The event of 2020 is past the 30 days and goes: the TTL works, it only does not wrap.
    expect(kept.trim().split('\n')).toEqual(['2090-06-01', '2105-12-20', new Date(now).toISOString().slice(0, 10), '2199-12-31'].sort());
  });

  it('keeps two byte-identical lines read at different offsets as two rows', async () => {
    const sink = sinkFor('events_identical');
    await sink.start();
    const a = accessEvent(0);
    const b = accessEvent(4096, { ts: a.ts, receivedAt: a.receivedAt, path: a.path, raw: a.raw });
    await sink.write([a, b], () => {});
    await sink.shutdown();
    expect(await count('events_identical')).toBe(2);
  });

  it('folds the same event ids written twice into one row', async () => {
    const sink = sinkFor('events_twice');
    await sink.start();
    const events = accessEvents(50);
    await sink.write(events, () => {});
    await sink.flush();
    await sink.write(events.map((e) => ({ ...e, receivedAt: e.receivedAt + 60_000 })), () => {});
    await sink.shutdown();
    expect(await count('events_twice')).toBe(50);
  });

  it('inserts a batch retried with the same deduplication token once', async () => {
    await applySchema(store, { table: 'events_token', retentionDays });
    const first = accessEvents(10, 0);
    const other = accessEvents(10, 100_000);
    const settings = { insert_deduplication_token: 'logpulse.events_token:batch-1' };
    await store.insertTsv('logpulse.events_token', EVENT_COLUMNS, encodeEvents([{ events: first, start: 0, end: 10 }], 10), settings);
    // A retry carries the same token: ClickHouse drops it on arrival, whatever the body.
    await store.insertTsv('logpulse.events_token', EVENT_COLUMNS, encodeEvents([{ events: other, start: 0, end: 10 }], 10), settings);
    expect(await count('events_token', false)).toBe(10);
    expect(await store.hasSetting('insert_deduplication_token')).toBe(true);
  });

  it('calls onStored in the order of the writes, empty writes included', async () => {
    const sink = sinkFor('events_order', { batchRows: 7 });
    await sink.start();
    const order: number[] = [];
    const sizes = [3, 0, 10, 1, 0, 20, 2, 0];
    let offset = 0;
    const writes = sizes.map((size, i) => {
      const events = accessEvents(size, offset);
      offset += size * 100;
      return sink.write(events, () => order.push(i));
    });
    await Promise.all(writes);
    await sink.flush();
    expect(order).toEqual(sizes.map((_, i) => i));
    await sink.shutdown();
    expect(await count('events_order')).toBe(36);
  });

  it('holds write() while the queue is full and releases it once rows are stored', async () => {
    const telemetry = new RecordingTelemetry();
    const sink = sinkFor('events_backpressure', { maxQueueRows: 5, batchRows: 1000, flushIntervalMs: 3_600_000, telemetry });
    await sink.start();
    let released = false;
    const write = sink.write(accessEvents(6), () => {}).then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(released).toBe(false);
    expect(telemetry.queueRows).toBe(6);
    await sink.flush();
    await write;
    expect(released).toBe(true);
    expect(telemetry.queueRows).toBe(0);
    expect(telemetry.rows).toEqual({ written: 6, retried: 0, failed: 0 });
    await sink.shutdown();
  });

  it('stores awkward text in raw exactly as read', async () => {
    const awkward = [
      'tab\there',
      'new\nline and \r carriage return',
      'back\\slash \\n \\t literal escapes',
      `quotes ' " \` and 'single' "double"`,
      'emoji 🚀 and accents é ü 中文',
      'nul \u0000 byte',
      new TextDecoder().decode(Buffer.from([0x47, 0x45, 0x54, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x2f])),
      '',
    ];
    const sink = sinkFor('events_awkward');
    await sink.start();
    const events = awkward.map((raw, i) => accessEvent(i * 100, { raw, user: raw, path: raw, userAgent: raw }));
    await sink.write(events, () => {});
    await sink.shutdown();
    const rows = jsonRows(await store.query('SELECT raw, user, path, user_agent FROM logpulse.events_awkward FINAL ORDER BY offset', {}, 'JSONEachRow'));
    expect(rows.map((row) => row.raw)).toEqual(awkward);
    expect(rows.map((row) => row.user)).toEqual(awkward);
    expect(rows.map((row) => row.path)).toEqual(awkward);
    expect(rows.map((row) => row.user_agent)).toEqual(awkward);
  });

  it('clamps out-of-range numbers instead of failing the batch', async () => {
    const logger = new RecordingLogger();
    const sink = sinkFor('events_clamped', { logger });
    await sink.start();
    await sink.write([
      accessEvent(0, { status: 70_000, bytes: -5, durationMs: Number.NaN, offset: Number.NaN }),
      accessEvent(100, { receivedAt: 9e15 }),
    ], () => {});
    await sink.shutdown();
    // Only the start-up line saying the retention was set: no warning about the rows.
    expect(logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
    const rows = jsonRows(await store.query('SELECT status, bytes, duration_ms, offset, ts, received_at FROM logpulse.events_clamped ORDER BY offset', {}, 'JSONEachRow'));
    expect(rows).toEqual([
      { status: 65535, bytes: 0, duration_ms: 0, offset: -1, ts: '2024-03-06 08:00:00.000', received_at: '2024-03-06 08:00:00.005' },
      { status: 200, bytes: 512, duration_ms: 0, offset: 100, ts: '2024-03-06 08:00:00.100', received_at: '2299-12-31 23:59:59.999' },
    ]);
  });

  it('stores every time the schema holds to the millisecond, from TabSeparated and RowBinary bodies alike', async () => {
    const times = [
      Date.UTC(1900, 0, 1), Date.UTC(1904, 1, 29, 6, 7, 8, 9), Date.UTC(1950, 5, 1, 12, 34, 56, 789), Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      0, Date.UTC(2000, 1, 29, 0, 0, 0, 1), 999_999_999_999, 1_000_000_000_000, Date.UTC(2078, 1, 8), Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1), Date.UTC(2250, 0, 1, 0, 0, 0, 250), Date.UTC(2299, 11, 31, 23, 59, 59, 999),
    ];
    const events = times.map((ts, i) => accessEvent(i * 100, { ts, receivedAt: times[times.length - 1 - i] as number }));
    const slices = [{ events, start: 0, end: events.length }];
    for (const table of ['events_times_tsv', 'events_times_binary']) {
      await applySchema(store, { table, retentionDays });
      // The retention TTL (its range is the schema's business) would drop the old rows on arrival:
      // this test is about the encoding alone.
      await store.command(`ALTER TABLE logpulse.${table} REMOVE TTL`);
    }
    await store.insertTsv('logpulse.events_times_tsv', EVENT_COLUMNS, encodeEvents(slices, events.length), {});
    await store.insertRowBinary('logpulse.events_times_binary', EVENT_COLUMNS, EVENT_ROW_BINARY_LAYOUT, encodeEventsRowBinary(slices, events.length), {});
    for (const table of ['events_times_tsv', 'events_times_binary']) {
      const rows = jsonRows(await store.query(
        `SELECT toString(toUnixTimestamp64Milli(ts)) AS ts, toString(toUnixTimestamp64Milli(received_at)) AS received_at FROM logpulse.${table} ORDER BY offset`, {}, 'JSONEachRow'));
      expect(rows).toEqual(events.map((e) => ({ ts: String(e.ts), received_at: String(e.receivedAt) })));
    }
  });

  it('stores alert transitions, a transition sent twice once', async () => {
    const sink = sinkFor('events', { host: 'recv-1' });
    await sink.start();
    const firing = firingAt(12.5, Date.UTC(2024, 2, 4, 9, 16));
    await sink.writeAlert(firing);
    await sink.writeAlert(firing);
    await sink.shutdown();
    const rows = jsonRows(await store.query("SELECT alert, state, value, at, threshold_rps, window_seconds, message, host FROM logpulse.alerts FINAL WHERE host = 'recv-1'", {}, 'JSONEachRow'));
    expect(rows).toEqual([{
      alert: 'HighTraffic', state: 'firing', value: 12.5, at: '2024-03-04 09:16:00.000', threshold_rps: 10, window_seconds: 120,
      message: firing.message, host: 'recv-1',
    }]);
  });

  it('stores two sources falling silent in the same second as two rows, each sent twice once', async () => {
    const sink = sinkFor('events', { host: 'recv-silent' });
    await sink.start();
    const at = Date.UTC(2024, 2, 4, 9, 21);
    for (const source of ['web-1', 'web-2', 'web-1', 'web-2']) {
      await sink.writeAlert({ alert: SOURCE_SILENT_ALERT, source, state: 'firing', value: 301, at, thresholdRps: 0, windowSeconds: 300, message: sourceSilentMessage(source, 5) });
    }
    await sink.shutdown();
    const rows = jsonRows(await store.query("SELECT source, state, value, window_seconds, message FROM logpulse.alerts FINAL WHERE host = 'recv-silent' ORDER BY source", {}, 'JSONEachRow'));
    expect(rows).toEqual([
      { source: 'web-1', state: 'firing', value: 301, window_seconds: 300, message: 'No logs received from web-1 for 5 minutes' },
      { source: 'web-2', state: 'firing', value: 301, window_seconds: 300, message: 'No logs received from web-2 for 5 minutes' },
    ]);
  });

  it('adds the source to an alerts table made by an earlier version, its rows kept, and applies again as a no-op', async () => {
    // The alerts table as the previous schema made it: no source column, source not in the key.
    await store.command('CREATE DATABASE IF NOT EXISTS old_alerts');
    await store.command(`CREATE TABLE old_alerts.alerts (alert LowCardinality(String), state LowCardinality(String), value Float64,
      at DateTime64(3, 'UTC'), threshold_rps Float64, window_seconds UInt32, message String, host LowCardinality(String))
      ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(at) ORDER BY (host, alert, at, state)`);
    await store.command("INSERT INTO old_alerts.alerts VALUES ('HighTraffic', 'firing', 12.5, '2024-03-04 09:16:00', 10, 120, 'm', 'recv-old')");
    const migration = schemaStatements(readFileSync(defaultSchemaFile(), 'utf8'), 'old_alerts').filter((s) => s.startsWith('ALTER TABLE old_alerts.alerts'));
    expect(migration).toHaveLength(1);
    for (let i = 0; i < 2; i += 1) await store.command(migration[0]!);
    const key = await store.query("SELECT sorting_key FROM system.tables WHERE database = 'old_alerts' AND name = 'alerts'", {}, 'TSV');
    expect(key.trim()).toBe('host, alert, at, state, source');
    const rows = jsonRows(await store.query('SELECT alert, source, host FROM old_alerts.alerts FINAL', {}, 'JSONEachRow'));
    expect(rows).toEqual([{ alert: 'HighTraffic', source: '', host: 'recv-old' }]);
  });

  it('stores an alert transition given just before shutdown, after the rows were stored', async () => {
    const sink = sinkFor('events_last', { host: 'recv-last' });
    await sink.start();
    const firing = firingAt(11, Date.UTC(2024, 2, 4, 10, 0));
    // As a batch import ends: the last rows are stored, an alert fires on them, and the receiver
    // shuts down before the alert's insert has run.
    await sink.write(accessEvents(5), () => {});
    await sink.flush();
    const alertStored = sink.writeAlert(firing);
    await sink.shutdown();
    await alertStored;
    expect(await count('events_last')).toBe(5);
    const rows = jsonRows(await store.query("SELECT state, value FROM logpulse.alerts FINAL WHERE host = 'recv-last'", {}, 'JSONEachRow'));
    expect(rows).toEqual([{ state: 'firing', value: 11 }]);
  });

  it('shuts down twice without error and refuses writes afterwards', async () => {
    const sink = sinkFor('events_closed');
    await sink.start();
    await sink.write(accessEvents(3), () => {});
    await Promise.all([sink.shutdown(), sink.shutdown()]);
    await sink.shutdown();
    expect(await count('events_closed')).toBe(3);
    await expect(sink.write(accessEvents(1), () => {})).rejects.toThrow('clickhouse sink: write after shutdown');
  });

  it('deletes each insert body once stored, and bodies a killed process left behind at the next start', async () => {
    const inserts = join(dataDir, 'clickhouse', 'inserts');
    const leftover = join(inserts, '4194305-1700000000000-7.tsv');
    writeFileSync(leftover, 'half a batch\t');
    const sink = sinkFor('events_files');
    await sink.start();
    expect(existsSync(leftover)).toBe(false);
    await sink.write(accessEvents(20), () => {});
    await sink.shutdown();
    expect(await count('events_files')).toBe(20);
    expect(readdirSync(inserts)).toEqual([]);
  });

  it('stores a batch whose body spans many file chunks byte for byte, and deletes the body', async () => {
    // About 5 MB of raw text: the body goes to its file in several 1 MB chunks while it is encoded.
    const events = Array.from({ length: 2_500 }, (_, i) => accessEvent(i * 3_000, { raw: `${i}:${'é→x'.repeat(500 + (i % 97))}` }));
    const expectedChars = events.reduce((sum, e) => sum + e.raw.length, 0);
    const sink = sinkFor('events_chunks', { batchRows: 10_000 });
    await sink.start();
    await sink.write(events, () => {});
    await sink.shutdown();
    const sums = jsonRows(await store.query('SELECT count() AS n, sum(lengthUTF8(raw)) AS chars, uniqExact(event_id) AS ids FROM logpulse.events_chunks FINAL', {}, 'JSONEachRow'));
    expect(sums).toEqual([{ n: 2500, chars: expectedChars, ids: 2500 }]);
    expect(readdirSync(join(dataDir, 'clickhouse', 'inserts'))).toEqual([]);
  });

  it('refuses an insert into a missing table with an error no retry can cure, and leaves no body behind', async () => {
    const body = encodeEvents([{ events: accessEvents(2), start: 0, end: 2 }], 2);
    const failure = await store.insertTsv('logpulse.no_such_events', EVENT_COLUMNS, body, {}).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(isPermanentInsertError(failure)).toBe(true);
    expect(readdirSync(join(dataDir, 'clickhouse', 'inserts'))).toEqual([]);
  });

  it('stores the same rows from a RowBinary body as from a TabSeparated one, whatever the text and numbers', async () => {
    const texts = [
      'tab\there, new\nline, back\\slash', 'nul \u0000 byte', 'emoji 🚀 中文', 'lone \ud800 surrogate and \udfff', '',
      // Lengths around the 1-, 2- and 3-byte length prefixes, written in ASCII and in 2-byte characters.
      'a'.repeat(42), 'a'.repeat(127), 'a'.repeat(128), 'é'.repeat(64), 'b'.repeat(16_383), 'b'.repeat(16_384), 'ü'.repeat(30_000),
    ];
    const events = texts.map((text, i) => accessEvent(i * 100, { raw: text, user: text, path: text, referer: text, section: text }));
    events.push(
      accessEvent(5_000, { receivedAt: 9e15, status: 70_000, bytes: 2 ** 40 + 3, durationMs: 2 ** 33, eventId: -1n }),
      accessEvent(5_100, { status: -1, bytes: Number.NaN, durationMs: 12.7, eventId: 2n ** 64n - 2n }),
      accessEvent(Number.NaN, { eventId: 7n, ts: Date.UTC(2024, 2, 6), receivedAt: Date.UTC(2024, 2, 6) }),
      // Path, referer and user agent cut from an ASCII line (the user agent also appears earlier in it),
      // missing from it, or in a line with other characters: stored the same as written out.
      accessEvent(6_000, {
        raw: 'UA/1.0 x "GET /a/b?q=1 HTTP/1.1" 200 5 "https://ref.example/x" "UA/1.0"', path: '/a/b?q=1', referer: 'https://ref.example/x', userAgent: 'UA/1.0',
      }),
      accessEvent(6_100, { raw: 'an ASCII line without those fields', path: '/elsewhere', referer: 'https://nowhere', userAgent: 'agent not in the line' }),
      accessEvent(6_200, { raw: 'é "GET /p HTTP/1.1" "https://r/" "ua ü"', path: '/p', referer: 'https://r/', userAgent: 'ua ü' }),
      // Events as the combined parser makes them, with the positions it found in the line.
      ...parsedEvents(7_000, [
        '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET /a/b?q=1 HTTP/1.1" 200 5 "https://ref.example/" "UA/1.0 (x)"',
        '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "PATCH /odd path HTTP/1.1" 200 5 "-" "say \\"hi\\""',
        '192.0.2.1 - bob [06/Mar/2024:08:00:00 +0000] "GET http://h.example/x/y HTTP/2.0" 200 5 "r\\\\s" "-" 0.012',
        '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET /é/ü HTTP/1.1" 200 5 "https://ref.example/é" "ÜA"',
      ]),
    );
    expect(events.filter((e) => (e.pathAt ?? -1) >= 0)).toHaveLength(4);
    const slices = [{ events, start: 0, end: events.length }];
    await applySchema(store, { table: 'events_as_tsv', retentionDays });
    await applySchema(store, { table: 'events_as_binary', retentionDays });
    await store.insertTsv('logpulse.events_as_tsv', EVENT_COLUMNS, encodeEvents(slices, events.length), {});
    await store.insertRowBinary('logpulse.events_as_binary', EVENT_COLUMNS, EVENT_ROW_BINARY_LAYOUT, encodeEventsRowBinary(slices, events.length), {});
    const select = (table: string) => store.query(`SELECT * FROM logpulse.${table} ORDER BY event_id`, {}, 'JSONEachRow');
    const fromTsv = await select('events_as_tsv');
    expect(jsonRows(fromTsv)).toHaveLength(events.length);
    expect(await select('events_as_binary')).toBe(fromTsv);
  });

  it('stores the other rows of a batch refused for one row, dead-letters that row and goes on', async () => {
    await applySchema(store, { table: 'events_refused', retentionDays });
    // A rule of the table's owner that one row breaks: ClickHouse refuses the whole insert (code 469).
    await store.command('ALTER TABLE logpulse.events_refused ADD CONSTRAINT known_status CHECK status < 600');
    const telemetry = new RecordingTelemetry();
    const logger = new RecordingLogger();
    const sink = sinkFor('events_refused', { batchRows: 1_000, telemetry, logger });
    await sink.start();
    const events = accessEvents(40, 0);
    events[3] = accessEvent(300, { status: 999, raw: '192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET /odd HTTP/1.1" 999 0 "-" "é"' });
    events[31] = accessEvent(3_100, { status: 700 });
    const stored: number[] = [];
    await sink.write(events, () => stored.push(0));
    await sink.flush();
    await sink.write(accessEvents(5, 100_000), () => stored.push(1));
    await sink.shutdown();

    expect(stored).toEqual([0, 1]);
    expect(await count('events_refused')).toBe(43);
    expect(telemetry.rows).toEqual({ written: 43, retried: 0, failed: 2 });
    const letters = readFileSync(join(dataDir, 'dead_letter', 'events.jsonl'), 'utf8').trim().split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>).filter((letter) => letter.table === 'logpulse.events_refused');
    expect(letters.map((letter) => [letter.offset, letter.code, letter.event_id, letter.raw])).toEqual([
      [300, 469, String(events[3]?.eventId), events[3]?.raw],
      [3_100, 469, String(events[31]?.eventId), events[31]?.raw],
    ]);
    expect(letters[0]).toMatchObject({ source: 'web-9', file: '/var/log/nginx/access.log', ts: String(events[3]?.ts) });
    expect(String(letters[0]?.message)).toMatch(/known_status/);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.fields.rows)).toEqual([2]);
    expect(readdirSync(join(dataDir, 'clickhouse', 'inserts'))).toEqual([]);
  });

  it('stops a batch import on a table that refuses every row, instead of dead-lettering the whole log', async () => {
    await applySchema(store, { table: 'events_unstorable', retentionDays });
    await store.command('ALTER TABLE logpulse.events_unstorable ADD CONSTRAINT only_errors CHECK status >= 500');
    const telemetry = new RecordingTelemetry();
    const sink = sinkFor('events_unstorable', { batchRows: 10_000, telemetry, giveUpOnPermanentErrors: true });
    await sink.start();
    const failed: string[] = [];
    await sink.write(accessEvents(1_000), () => failed.push('stored'), (error) => failed.push(error.message));
    const failure = await sink.failure;
    await sink.shutdown();
    expect(failure.message).toMatch(/^clickhouse insert: 1000 rows into logpulse\.events_unstorable: .*only_errors/);
    expect(failed).toEqual([failure.message]);
    expect(await count('events_unstorable')).toBe(0);
    // Nothing was given up as lost: the rows are read again by the next run.
    expect(telemetry.rows.failed).toBe(0);
  });
});
