import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { burstyLines, clfTimeMs, writeRotatedSet } from '../support/rotated_log.js';
import { freeLoopbackPort, runLogpulse, tempDir } from './logpulse_process.js';

/**
 * A logrotate'd folder imported with `run --once` gives the alert lines of the same lines read as
 * one time-ordered file. Reading the folder newest first (`access.log`, `.1`, `.10.gz`, ..., `.2.gz`)
 * made every older line late: the folder gave no alert at all.
 */

const START_MS = Date.UTC(2026, 10, 22, 9, 0, 0);
const ALERT = ['--threshold', '5', '--alert-window', '10s', '--retention-days', '10000'];
const ALERT_LINE = /^(High traffic generated an alert|Traffic recovered) - hits = [\d.]+, (triggered|recovered) at \S+$/;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function importAlerts(path: string): Promise<string[]> {
  const dataDir = await tempDir('rotated-alerts');
  cleanups.push(dataDir.dispose);
  const port = await freeLoopbackPort();
  const result = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dataDir.path, '--metrics-port', String(port), ...ALERT, path], 120_000);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((line) => ALERT_LINE.test(line));
}

describe('alerts of a rotated folder', () => {
  it('gives the alert lines of one time-ordered file for a folder of numbered, gzip and current files', async () => {
    const dir = await tempDir('rotated-set');
    cleanups.push(dir.dispose);
    // 40 minutes of bursts, about 11,000 lines: a 20 s burst every minute.
    const lines = burstyLines(START_MS, 2400);
    const single = join(dir.path, 'access.log');
    await writeFile(single, lines.map((l) => `${l}\n`).join(''));
    const files = await writeRotatedSet(join(dir.path, 'folder'), 'access.log', lines, clfTimeMs);
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual([
      'access.log.11.gz', 'access.log.10.gz', 'access.log.9.gz', 'access.log.8.gz', 'access.log.7.gz', 'access.log.6.gz',
      'access.log.5.gz', 'access.log.4.gz', 'access.log.3.gz', 'access.log.2.gz', 'access.log.1', 'access.log',
    ]);

    const fromFile = await importAlerts(single);
    const fromFolder = await importAlerts(join(dir.path, 'folder'));
    // Each burst fires once and recovers once.
    expect(fromFile.length).toBeGreaterThanOrEqual(70);
    expect(fromFolder).toEqual(fromFile);
  }, 240_000);
});
