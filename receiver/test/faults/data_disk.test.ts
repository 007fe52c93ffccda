import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort, runLogpulse, sqlValue, tempDir } from '../e2e/logpulse_process.js';
import { missing, report, tally } from './fault_tally.js';
import { sequencedText } from './sequenced_lines.js';

/**
 * Scenario d: the data directory on a real small filesystem (a 64 MB tmpfs, mounted as root: chDB's
 * own files and one insert at the default batch size need about 30 MB), filled up and then made read-only, under the real CLI's `run --once`. The import stops with a clear error and a
 * non-zero exit within a bounded time, what was stored and checkpointed stays intact, and the same
 * import completes once the disk has room or is writable again.
 */

const BOUND_MS = 60_000;
let root: { path: string; dispose: () => Promise<void> };
let dataDir: string;
let log: string;

function run(...args: string[]): void {
  execFileSync(args[0] ?? '', args.slice(1), { stdio: 'pipe' });
}

/** Takes every byte the filesystem has left, then gives back `leaveBytes`. */
function fillDisk(path: string, leaveBytes = 0): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  if (leaveBytes > 0) truncateSync(path, Math.max(0, statSync(path).size - leaveBytes));
}

async function importOnce(): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const port = await freeLoopbackPort();
  const result = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), log], BOUND_MS + 30_000);
  return { code: result.code, stderr: result.stderr, ms: Date.now() - started };
}

/** The checkpoint file parses and names the log: a failed run left no half-written state. */
function checkpointsIntact(): void {
  const json = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')) as { files: Array<{ path: string }> };
  expect(json.files.map((f) => f.path)).toContain(log);
}

beforeAll(async () => {
  root = await tempDir('faults-disk');
  dataDir = join(root.path, 'data');
  log = join(root.path, 'access.log');
  mkdirSync(dataDir);
  run('mount', '-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dataDir);
});

afterAll(async () => {
  run('umount', '-l', dataDir);
  await root.dispose();
});

describe('fault: the data disk is full, then read-only', () => {
  it('stops with a clear error within a bounded time and completes once space returns', async () => {
    writeFileSync(log, sequencedText(0, 20_000, Date.now() - 3_600_000, 100, 1));
    const first = await importOnce();
    expect(first.code, first.stderr).toBe(0);

    appendFileSync(log, sequencedText(20_000, 40_000, Date.now() - 1_800_000, 40, 2));
    const filler = join(dataDir, 'filler');
    fillDisk(filler);
    const full = await importOnce();
    const lastLine = full.stderr.trim().split('\n').at(-1) ?? '';
    console.log(`faults d disk full: exit ${full.code} after ${full.ms} ms: ${lastLine}`);
    expect(full.code).not.toBe(0);
    expect(full.ms).toBeLessThan(BOUND_MS);
    expect(lastLine).toMatch(/^logpulse: .*(ENOSPC|No space left|refuses writes)/);
    checkpointsIntact();

    rmSync(filler);
    const again = await importOnce();
    expect(again.code, again.stderr).toBe(0);
    const t = await tally((q) => sqlValue(dataDir, q), 60_000);
    report('d disk full', t, undefined, { 'failed run exit': String(full.code), 'failed run s': (full.ms / 1000).toFixed(1) });
    expect({ lost: t.lost, duplicated: t.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 300_000);

  it('stops with a clear error when the disk fills up during the import and completes once space returns', async () => {
    appendFileSync(log, sequencedText(60_000, 60_000, Date.now() - 900_000, 10, 4));
    const filler = join(dataDir, 'filler');
    // Room to start (query.port, checkpoints), not for the inserts of 60,000 lines.
    fillDisk(filler, 2 * 1024 * 1024);
    const full = await importOnce();
    rmSync(filler);
    const lastLine = full.stderr.trim().split('\n').at(-1) ?? '';
    console.log(`faults d disk full mid-import: exit ${full.code} after ${full.ms} ms: ${lastLine}`);
    expect(full.code).not.toBe(0);
    expect(full.ms).toBeLessThan(BOUND_MS);
    expect(lastLine).toMatch(/^logpulse: .*(ENOSPC|No space left|not enough space|refuses writes)/);
    checkpointsIntact();

    const again = await importOnce();
    expect(again.code, again.stderr).toBe(0);
    const t = await tally((q) => sqlValue(dataDir, q), 120_000);
    report('d disk full mid-import', t, undefined, { 'failed run exit': String(full.code), 'failed run s': (full.ms / 1000).toFixed(1) });
    const absent = await missing((q) => sqlValue(dataDir, q), 120_000);
    expect({ lost: t.lost, duplicated: t.duplicated, first: absent[0], last: absent.at(-1) }).toEqual({ lost: 0, duplicated: 0, first: undefined, last: undefined });
  }, 300_000);

  it('stops with a clear error on a read-only data directory and completes once it is writable', async () => {
    appendFileSync(log, sequencedText(120_000, 10_000, Date.now() - 600_000, 50, 3));
    run('mount', '-o', 'remount,ro', dataDir);
    let readOnly: Awaited<ReturnType<typeof importOnce>>;
    try {
      readOnly = await importOnce();
    } finally {
      run('mount', '-o', 'remount,rw', dataDir);
    }
    const lastLine = readOnly.stderr.trim().split('\n').at(-1) ?? '';
    console.log(`faults d read-only: exit ${readOnly.code} after ${readOnly.ms} ms: ${lastLine}`);
    expect(readOnly.code).not.toBe(0);
    expect(readOnly.ms).toBeLessThan(BOUND_MS);
    expect(lastLine).toMatch(/^logpulse: .*(EROFS|read-only|refuses writes)/i);
    checkpointsIntact();

    const again = await importOnce();
    expect(again.code, again.stderr).toBe(0);
    const t = await tally((q) => sqlValue(dataDir, q), 130_000);
    report('d read-only data dir', t, undefined, { 'failed run exit': String(readOnly.code), 'failed run s': (readOnly.ms / 1000).toFixed(1) });
    expect({ lost: t.lost, duplicated: t.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 300_000);
});
