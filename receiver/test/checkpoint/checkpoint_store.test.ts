import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/checkpoint/checkpoint_error.js';
import type { CheckpointEntry } from '../../src/checkpoint/checkpoint_format.js';
import { CheckpointStore } from '../../src/checkpoint/checkpoint_store.js';

function entry(fileId: string, patch: Partial<CheckpointEntry> = {}): CheckpointEntry {
  return {
    fileId,
    fingerprint: Buffer.from(`first line of ${fileId}\n`).toString('base64'),
    offset: 0,
    path: `/var/log/nginx/${fileId}.log`,
    compressed: false,
    finished: false,
    lastSeenMs: Date.now(),
    ...patch,
  };
}

describe('CheckpointStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'logpulse-checkpoint-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes a versioned file that a new store reads back', async () => {
    const store = await CheckpointStore.open({ dataDir });
    store.put(entry('a1'));
    store.commit('a1', 4096);
    await store.close();
    const json = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8'));
    expect(json.version).toBe(1);
    expect(json.files).toHaveLength(1);
    const again = await CheckpointStore.open({ dataDir });
    expect(again.get('a1')).toMatchObject({ offset: 4096, path: '/var/log/nginx/a1.log' });
    expect(readdirSync(dataDir)).toEqual(['checkpoints.json']);
  });

  it('creates the data directory when it is missing', async () => {
    const nested = join(dataDir, 'state', 'receiver');
    const store = await CheckpointStore.open({ dataDir: nested });
    store.put(entry('a1'));
    await store.flush();
    expect(existsSync(join(nested, 'checkpoints.json'))).toBe(true);
  });

  it('never moves an offset back', async () => {
    const store = await CheckpointStore.open({ dataDir });
    store.put(entry('a1'));
    store.commit('a1', 500);
    store.commit('a1', 200);
    expect(store.get('a1')?.offset).toBe(500);
    await store.close();
  });

  it('writes commits in the background after the commit interval, not on every commit', async () => {
    const store = await CheckpointStore.open({ dataDir, commitIntervalMs: 100 });
    store.put(entry('a1'));
    store.commit('a1', 10);
    expect(existsSync(join(dataDir, 'checkpoints.json'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const json = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8'));
    expect(json.files[0].offset).toBe(10);
    await store.close();
  });

  it('keeps changes made after close in memory only', async () => {
    const store = await CheckpointStore.open({ dataDir });
    store.put(entry('a1'));
    await store.close();
    await store.close();
    store.commit('a1', 99);
    await store.flush();
    const again = await CheckpointStore.open({ dataDir });
    expect(again.get('a1')?.offset).toBe(0);
  });

  it('drops entries of files not seen for longer than the retention, and the oldest gone ones beyond the maximum', async () => {
    const now = Date.now();
    const evictions: number[] = [];
    const store = await CheckpointStore.open({ dataDir, retentionMs: 60_000, maxGoneFiles: 2, onEvict: (count) => evictions.push(count) });
    store.put(entry('gone', { lastSeenMs: now - 120_000 }));
    store.put(entry('old', { lastSeenMs: now - 30_000 }));
    store.put(entry('recent', { lastSeenMs: now - 10_000 }));
    store.put(entry('live', { lastSeenMs: now - 50_000 }));
    store.touch(['live'], now);
    await store.close();
    const again = await CheckpointStore.open({ dataDir });
    expect([...again.entries()].map((e) => e.fileId).sort()).toEqual(['live', 'recent']);
    expect(evictions).toEqual([1]);
  });

  it('never drops a file in use, however many there are and however long ago they were seen', async () => {
    const now = Date.now();
    const evictions: number[] = [];
    const inUse = new Set(['open-1', 'open-2', 'open-3']);
    const store = await CheckpointStore.open({ dataDir, retentionMs: 60_000, maxGoneFiles: 1, inUse: (id) => inUse.has(id), onEvict: (count) => evictions.push(count) });
    for (const id of inUse) store.put(entry(id, { lastSeenMs: now - 120_000 }));
    store.put(entry('gone-old', { lastSeenMs: now - 20_000 }));
    store.put(entry('gone-new', { lastSeenMs: now - 10_000 }));
    await store.flush();
    store.commit('open-1', 42);
    await store.close();
    const again = await CheckpointStore.open({ dataDir });
    expect([...again.entries()].map((e) => e.fileId).sort()).toEqual(['gone-new', 'open-1', 'open-2', 'open-3']);
    expect(again.get('open-1')?.offset).toBe(42);
    expect(evictions).toEqual([1]);
  });

  it('fails with an error naming the path when the file is not JSON', async () => {
    const path = join(dataDir, 'checkpoints.json');
    writeFileSync(path, '{"version":1,"files":[{"fileId":"a1",');
    const error = await CheckpointStore.open({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).message).toMatch(new RegExp(`^checkpoint: read ${path}: not valid JSON`));
    expect((error as CheckpointError).path).toBe(path);
  });

  it('fails with an error naming the path and the version when the version is unknown', async () => {
    const path = join(dataDir, 'checkpoints.json');
    writeFileSync(path, JSON.stringify({ version: 2, files: [] }));
    await expect(CheckpointStore.open({ dataDir })).rejects.toThrow(`checkpoint: read ${path}: unknown version 2, expected 1`);
  });

  it('fails naming the bad field of an entry', async () => {
    const path = join(dataDir, 'checkpoints.json');
    writeFileSync(path, JSON.stringify({ version: 1, files: [{ ...entry('a1'), offset: -5 }] }));
    await expect(CheckpointStore.open({ dataDir })).rejects.toThrow(`checkpoint: read ${path}: invalid entry at files.0.offset`);
  });

  it('reports a write that fails, and writes again once it can', async () => {
    const errors: CheckpointError[] = [];
    const store = await CheckpointStore.open({ dataDir, onWriteError: (e) => errors.push(e) });
    store.put(entry('a1'));
    // A directory where the temp file should go makes the write fail.
    const tmp = join(dataDir, 'checkpoints.json.tmp');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(tmp);
    await expect(store.flush()).rejects.toThrow(`checkpoint: write ${tmp}: EISDIR`);
    rmSync(tmp, { recursive: true });
    await store.flush();
    const again = await CheckpointStore.open({ dataDir });
    expect(again.has('a1')).toBe(true);
  });
});
