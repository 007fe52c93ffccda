import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSchemaFile, schemaStatements, serverTarget } from '../../src/clickhouse/index.js';
import { backoffDelayMs, ClickHouseSink } from '../../src/sinks/index.js';
import { MAX_TS_MS, MIN_TS_MS, tsvString, tsvTime, tsvUint } from '../../src/sinks/encoders/row_encoder.js';
import { NEWLINE, TsvRowWriter } from '../../src/sinks/encoders/tsv_row_writer.js';

describe('row encoding', () => {
  it('escapes only what TabSeparated needs', () => {
    expect(tsvString('a\tb\nc\rd\\e "f" \'g\' 🚀')).toBe('a\\tb\\nc\\rd\\\\e "f" \'g\' 🚀');
  });

  it('writes times as DateTime64 text, clamped to what the column holds (1900..2299)', () => {
    expect(tsvTime(1_709_543_702_120)).toBe('2024-03-04 09:15:02.120');
    expect(tsvTime(5)).toBe('1970-01-01 00:00:00.005');
    expect(tsvTime(-1)).toBe('1969-12-31 23:59:59.999');
    expect(tsvTime(Number.NaN)).toBe('1970-01-01 00:00:00.000');
    expect(tsvTime(1e16)).toBe('2299-12-31 23:59:59.999');
    expect(tsvTime(-1e16)).toBe('1900-01-01 00:00:00.000');
  });

  it('writes each row time as the text Date gives, over the whole range the column holds', () => {
    const times = [MIN_TS_MS, MAX_TS_MS, -1, 0, 999_999_999_999, 1_000_000_000_000, Date.UTC(1904, 1, 29, 23, 59, 59, 9), Date.UTC(2100, 1, 28, 12)];
    // A fixed linear congruential sequence: the same spread of times on every run.
    let seed = 12_345;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      times.push(MIN_TS_MS + Math.floor((seed / 2 ** 31) * (MAX_TS_MS - MIN_TS_MS)));
    }
    const writer = new TsvRowWriter(64);
    for (const ms of times) {
      writer.reserve(32);
      writer.dateTime(ms, NEWLINE);
    }
    const expected = times.map((ms) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)}\n`).join('');
    expect(writer.bytes().toString('latin1')).toBe(expected);
  });

  it('writes times ClickHouse reads back to the same millisecond, before 1970, before 2001 and far ahead', async () => {
    const { queryBind } = await import('chdb');
    for (const ms of [MIN_TS_MS, -631_152_000_001, -1, 0, 5, 86_400_123, 999_999_999_999, 1_000_000_000_000, 1_709_543_702_120, 4_102_444_800_000, 8_835_984_000_000, MAX_TS_MS]) {
      const text = queryBind("SELECT toUnixTimestamp64Milli(x) FROM format(TSV, 'x DateTime64(3, \\'UTC\\')', {t:String})", { t: tsvTime(ms) }, 'TSV');
      expect(Number(text.trim())).toBe(ms);
    }
  });

  it('clamps unsigned numbers into their column', () => {
    expect(tsvUint(70_000, 0xffff)).toBe('65535');
    expect(tsvUint(-3)).toBe('0');
    expect(tsvUint(12.7)).toBe('12');
  });
});

describe('sink options', () => {
  it('names the option and the value it refuses', () => {
    expect(() => new ClickHouseSink({ dataDir: '/tmp/x', batchRows: 0 })).toThrow('clickhouse sink: batch_rows: expected a positive integer, got 0');
    expect(() => new ClickHouseSink({ dataDir: '/tmp/x', retentionDays: 1.5 })).toThrow('clickhouse sink: retention_days: expected an integer number of days from 1 to 10000, got 1.5');
    expect(() => new ClickHouseSink({ dataDir: '/tmp/x', table: 'events; DROP' })).toThrow('clickhouse sink: table: expected a plain identifier');
    expect(() => new ClickHouseSink({ dataDir: '/tmp/x', url: 'ftp://u:pw@host' })).toThrow('clickhouse sink: url: expected an http:// or https:// URL, got "ftp://u:***@host"');
  });

  it('keeps the password out of the URL it shows', () => {
    expect(serverTarget('http://ingest:s3cret@ch:8123').display).toBe('http://ingest@ch:8123/');
    expect(serverTarget('http://ch:8123', { CLICKHOUSE_USER: 'bob', CLICKHOUSE_PASSWORD: 'pw' })).toEqual({
      url: 'http://ch:8123/', username: 'bob', password: 'pw', display: 'http://bob@ch:8123/',
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelayMs(0, 200, 30_000, () => 0.999)).toBe(199);
    expect(backoffDelayMs(3, 200, 30_000, () => 0.5)).toBe(800);
    expect(backoffDelayMs(40, 200, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffDelayMs(5, 200, 30_000, () => 0)).toBe(0);
  });
});

describe('schema statements', () => {
  it('splits clickhouse/schema.sql into its statements and renames the database', () => {
    const statements = schemaStatements(readFileSync(defaultSchemaFile(), 'utf8'), 'test_db', 'events_x');
    expect(statements.map((s) => s.split('\n', 1)[0])).toEqual([
      'CREATE DATABASE IF NOT EXISTS test_db',
      'CREATE TABLE IF NOT EXISTS test_db.events_x',
      'ALTER TABLE test_db.events_x ADD COLUMN IF NOT EXISTS vhost LowCardinality(String) AFTER offset',
      'CREATE TABLE IF NOT EXISTS test_db.alerts',
      'ALTER TABLE test_db.alerts ADD COLUMN IF NOT EXISTS source LowCardinality(String) AFTER alert,',
      'CREATE TABLE IF NOT EXISTS test_db.ingest',
    ]);
  });
});
