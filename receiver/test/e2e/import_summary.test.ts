import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDemoFile } from '../../src/demo/index.js';
import { REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, runLogpulse, spawnLogpulse, sqlValue, tempDir, waitFor, type LogpulseChild } from './logpulse_process.js';

/**
 * What `run --once` says at its end, and what a retention does to a batch import: rows past it
 * are never written, so the stored count is the same whenever ClickHouse merges, on a re-run and
 * after a SIGKILL and a resume.
 */

const FIXTURE = join(REPO_ROOT, 'receiver/test/fixtures/import/access_2025.log');
const DAY_MS = 86_400_000;

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

async function importOnce(dataDir: string, paths: readonly string[], extra: readonly string[] = []) {
  const port = await freeLoopbackPort();
  return runLogpulse(['run', '--once', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), ...extra, ...paths], 120_000);
}

/** The summary block of an import's output, its elapsed line made comparable. */
function summaryOf(stdout: string): string {
  const at = stdout.indexOf('--- import summary ---');
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  return stdout.slice(at).replace(/^elapsed {9}\d+\.\d\d s, [\d,]+ lines\/s$/m, 'elapsed         <elapsed>');
}

const count = (dataDir: string, final = ' FINAL'): Promise<string> => sqlValue(dataDir, `SELECT count() FROM logpulse.events${final}`);

describe('the summary of a batch import', () => {
  it('says what a 2025 log gave with default settings, keeps every row and exits 0', async () => {
    const dir = await tempDir('summary');
    try {
      const dataDir = join(dir.path, 'data');
      const result = await importOnce(dataDir, [FIXTURE]);
      expect(result.code, result.stderr).toBe(0);
      expect(summaryOf(result.stdout)).toBe(
        [
          '--- import summary ---',
          'files read      1',
          'files skipped   0',
          'paths not read  0',
          'lines read      7',
          'events stored   5',
          'invalid lines   2',
          `                timestamp out of range (1970 to 2199): 2, first at byte 454 of ${FIXTURE}: "192.0.2.44 - - [07/Mar/2350:12:00:00 +0000] \\"GET /pages/future HTTP/1.1\\" 200 312 \\"-\\" \\"broken-clock-agent/0.1\\""`,
          'past retention  0',
          'event times     2025-03-03T07:14:02Z .. 2025-03-03T08:30:59Z',
          `store           chDB at ${join(dataDir, 'clickhouse')}`,
          'elapsed         <elapsed>',
          '',
        ].join('\n'),
      );
      // No TTL by default: the lines of 2025 stay, also once ClickHouse has merged.
      expect(await count(dataDir)).toBe('5');
      expect(await sqlValue(dataDir, "SELECT count() FROM system.tables WHERE database = 'logpulse' AND name = 'events' AND engine_full LIKE '% TTL %'")).toBe('0');
    } finally {
      await dir.dispose();
    }
  }, 120_000);
});

describe('a batch import with --retention-days 30', () => {
  /** 2025 lines then lines of the past hours, generated relative to now: only the recent ones are within 30 days. */
  async function mixedLog(file: string, old: number, recent: number): Promise<void> {
    await writeDemoFile({ output: file, lines: old, seed: 7, startTime: Date.UTC(2025, 2, 3, 8), linesPerSecond: 200 });
    const tail = `${file}.recent`;
    await writeDemoFile({ output: tail, lines: recent, seed: 8, startTime: Date.now() - 2 * DAY_MS, linesPerSecond: 200 });
    await appendFile(file, await readFile(tail));
  }

  it('stores exactly the rows within 30 days, reports the others, and a re-run gives the same count', async () => {
    const dir = await tempDir('retention');
    try {
      const log = join(dir.path, 'access.log');
      await mixedLog(log, 1_200, 800);
      const retention = ['--retention-days', '30'];
      const first = await importOnce(join(dir.path, 'a'), [log], retention);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^lines read {6}2,000$/m);
      expect(first.stdout).toMatch(/^events stored {3}800$/m);
      expect(first.stdout).toMatch(/^past retention {2}1,200$/m);
      expect(first.stderr).toContain('1200 lines dated before the retention (--retention-days) were not stored');
      // Not written at all: the count is the same before and after any merge, with or without FINAL.
      expect(await count(join(dir.path, 'a'), '')).toBe('800');
      expect(await count(join(dir.path, 'a'))).toBe('800');
      // Again on the same store (nothing new to read), and from scratch on another.
      expect((await importOnce(join(dir.path, 'a'), [log], retention)).code).toBe(0);
      expect(await count(join(dir.path, 'a'))).toBe('800');
      expect((await importOnce(join(dir.path, 'b'), [log], retention)).code).toBe(0);
      expect(await count(join(dir.path, 'b'))).toBe('800');
    } finally {
      await dir.dispose();
    }
  }, 180_000);

  it('gives the same count after a SIGKILL during the import and a resume', async () => {
    const dir = await tempDir('retention-kill');
    try {
      const log = join(dir.path, 'access.log');
      await mixedLog(log, 60_000, 140_000);
      const dataDir = join(dir.path, 'data');
      const port = await freeLoopbackPort();
      const args = ['run', '--once', '--no-tui', '--retention-days', '30', '--batch-rows', '5000', '--data-dir', dataDir, '--metrics-port', String(port), log];
      const receiver = spawnLogpulse(args);
      running.push(receiver);
      // The first committed checkpoint: some rows are stored, most of the file is not read yet.
      await waitFor('a first checkpoint', () => (existsSync(join(dataDir, 'checkpoints.json')) ? true : undefined), 60_000);
      const killed = await receiver.stop('SIGKILL');
      expect(killed.signal, 'the import ended before the kill').toBe('SIGKILL');
      const resumed = await importOnce(dataDir, [log], ['--retention-days', '30', '--batch-rows', '5000']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await count(dataDir)).toBe('140000');
      expect(await sqlValue(dataDir, `SELECT count() FROM logpulse.events FINAL WHERE ts < now64() - INTERVAL 30 DAY`)).toBe('0');
    } finally {
      await dir.dispose();
    }
  }, 240_000);
});
