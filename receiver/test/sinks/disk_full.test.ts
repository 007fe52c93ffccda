import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/clickhouse/index.js';
import { ClickHouseSink, type ClickHouseSinkOptions } from '../../src/sinks/index.js';
import { accessEvent, RecordingLogger, RecordingTelemetry, tempDir } from './sink_fixtures.js';

// A real small filesystem: an 8 MB tmpfs mounted as the data directory (the tests run as root).
// chDB binds one data directory per process, so every test of this file shares this one.
const dataDir = join(tempDir('disk-full'), 'data');
const filler = join(dataDir, 'filler');
let store: Store;

function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}

/** Takes every byte the filesystem has left. */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Rows of about 1 KB each, 2,000 of them: about 2 MB of insert body. */
function bigEvents(count: number, firstOffset: number) {
  return Array.from({ length: count }, (_, i) => accessEvent(firstOffset + i * 2_000, { raw: `${firstOffset + i} ${'x'.repeat(1_000)}` }));
}

function sinkOptions(table: string, overrides: Partial<ClickHouseSinkOptions> = {}): ClickHouseSinkOptions {
  return {
    dataDir, table, retentionDays: 3_650, batchBytes: 256 * 1024, flushIntervalMs: 50, retryInitialMs: 50, retryMaxMs: 200,
    giveUpAfterMs: 1_000, logger: new RecordingLogger(), ...overrides,
  };
}

async function count(table: string): Promise<number> {
  return Number((await store.query(`SELECT count() FROM logpulse.${table} FINAL`, {}, 'TSV')).trim());
}

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true });
  mount('-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dataDir);
  store = await openStore({ dataDir });
});

afterAll(async () => {
  await store?.close();
  execFileSync('umount', ['-l', dataDir], { stdio: 'pipe' });
});

describe('ClickHouseSink on a small data disk', () => {
  it('gives up a batch import on a full disk within a bounded time, with a clear error, and stores it all once there is room', async () => {
    const sink = new ClickHouseSink(sinkOptions('events_full', { giveUpOnPermanentErrors: true }));
    await sink.start();
    await sink.write(bigEvents(100, 0), () => {});
    await sink.flush();
    fillDisk();
    const started = Date.now();
    const failed: string[] = [];
    // Not awaited while the disk is full: write() holds while the bodies waiting reach max_queue_bytes.
    const written = sink.write(bigEvents(2_000, 1_000_000), () => failed.push('stored'), (error) => failed.push(error.message));
    const failure = await sink.failure;
    await written;
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(failure.message).toMatch(/^clickhouse sink: .*the data directory refuses writes \(full or read-only\?\): .*(ENOSPC|No space left on device)/);
    await expect(sink.flush()).rejects.toThrow(/data directory refuses writes/);
    await sink.shutdown();
    expect(failed).toEqual([failure.message]);

    // Nothing stored before is harmed, and the same import run again once there is room stores everything once.
    rmSync(filler);
    expect(await count('events_full')).toBe(100);
    const again = new ClickHouseSink(sinkOptions('events_full', { giveUpOnPermanentErrors: true }));
    await again.start();
    await again.write(bigEvents(2_000, 1_000_000), () => {});
    await again.shutdown();
    expect(await count('events_full')).toBe(2_100);
  });

  it('waits out a full disk in live mode, holding writers on the bytes waiting, and completes once space returns', async () => {
    const telemetry = new RecordingTelemetry();
    const logger = new RecordingLogger();
    const sink = new ClickHouseSink(sinkOptions('events_live', { telemetry, logger, failureLogIntervalMs: 60_000 }));
    await sink.start();
    fillDisk();
    let released = false;
    const stored: number[] = [];
    const written = sink.write(bigEvents(2_000, 0), () => stored.push(0)).then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // 2,000 rows are far below max_queue_rows (100,000): the bytes waiting hold the writer.
    expect(released).toBe(false);
    expect(stored).toEqual([]);
    expect(sink.storing).toBe(false);
    rmSync(filler);
    await written;
    await sink.flush();
    await sink.shutdown();
    expect(stored).toEqual([0]);
    expect(await count('events_live')).toBe(2_000);
    expect(telemetry.rows.failed).toBe(0);
    expect(telemetry.rows.written).toBe(2_000);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.length).toBeGreaterThan(0);
    expect(String(warnings[0]?.fields.err)).toMatch(/data directory refuses writes/);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('gives up a batch import when the folder of its insert bodies turns read-only, with a clear error', async () => {
    const sink = new ClickHouseSink(sinkOptions('events_ro', { giveUpOnPermanentErrors: true }));
    await sink.start();
    // The engine holds its files open, so the whole disk cannot be remounted read-only under it:
    // a read-only filesystem is mounted over the folder the insert bodies are staged in instead.
    const inserts = join(dataDir, 'clickhouse', 'inserts');
    mount('-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', inserts);
    try {
      const started = Date.now();
      const written = sink.write(bigEvents(500, 0), () => {});
      const failure = await sink.failure;
      await written;
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(failure.message).toMatch(/the data directory refuses writes \(full or read-only\?\): .*(EROFS|read-only file system)/);
      await sink.shutdown();
    } finally {
      execFileSync('umount', [inserts], { stdio: 'pipe' });
    }
    expect(await count('events_ro')).toBe(0);
  });

  it('refuses to start on a read-only data directory, naming it', async () => {
    const readOnly = tempDir('read-only');
    mount('-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly);
    try {
      const sink = new ClickHouseSink(sinkOptions('events', { dataDir: readOnly }));
      await expect(sink.start()).rejects.toThrow(`clickhouse: connect to chDB at ${readOnly}/clickhouse: EROFS: read-only file system`);
    } finally {
      execFileSync('umount', [readOnly], { stdio: 'pipe' });
    }
  });
});
