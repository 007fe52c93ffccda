import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';
import {
  freeLoopbackPort,
  runLogpulse,
  spawnLogpulse,
  sqlRows,
  sqlValue,
  tempDir,
  waitReady,
  type CommandResult,
  type LogpulseChild,
} from './logpulse_process.js';

/**
 * What a new user does first: import an nginx access log with `logpulse run --once`, read the
 * stats block, then ask questions in SQL, with the receiver stopped and while it runs.
 */

const FIXTURE = join(REPO_ROOT, 'receiver/test/fixtures/e2e/access.log');
// The fixture's lines are from March 2025: a retention longer than their age keeps them stored.
const RETENTION = ['--retention-days', '10000'];

/** Lines of the fixture that are combined-format requests, with their section and bytes. */
const COMBINED = /^\S+ \S+ \S+ \[[^\]]+\] "[A-Z]+ (?:https?:\/\/[^/\s]+)?(\/[^/?\s]*)\S* HTTP\/[\d.]+" \d{3} (\d+) "[^"]*" "[^"]*"$/;

function expectedSections(): { perSection: Map<string, number>; lines: number; bytes: number; invalid: number } {
  const perSection = new Map<string, number>();
  let lines = 0;
  let bytes = 0;
  let invalid = 0;
  for (const line of readFileSync(FIXTURE, 'latin1').split('\n').slice(0, -1)) {
    const match = COMBINED.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) {
      invalid++;
      continue;
    }
    perSection.set(match[1], (perSection.get(match[1]) ?? 0) + 1);
    lines++;
    bytes += Number(match[2]);
  }
  return { perSection, lines, bytes, invalid };
}

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

describe('a first import of an access log', () => {
  let dataDir: { path: string; dispose: () => Promise<void> };
  let imported: CommandResult;
  const expected = expectedSections();

  beforeAll(async () => {
    dataDir = await tempDir('first-run');
    const port = await freeLoopbackPort();
    imported = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dataDir.path, '--metrics-port', String(port), ...RETENTION, FIXTURE]);
  });
  afterAll(async () => {
    await dataDir.dispose();
  });

  it('exits 0 and prints a stats block counting the good and the bad lines', () => {
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^hits +19 +[\d.]+ req\/s/m);
    expect(imported.stdout).toMatch(/^sections +\/pages 6 /m);
    expect(imported.stdout).toMatch(/^invalid +2 lines$/m);
  });

  it('answers how many requests each section had, with the exact numbers of the file', async () => {
    expect(expected).toMatchObject({ lines: 19, invalid: 2 });
    const rows = await sqlRows(dataDir.path, 'SELECT section, count() FROM logpulse.events FINAL GROUP BY section ORDER BY section');
    expect(new Map(rows.map(([section, hits]) => [section, Number(hits)]))).toEqual(expected.perSection);
    expect(await sqlValue(dataDir.path, 'SELECT sum(bytes) FROM logpulse.events FINAL')).toBe(String(expected.bytes));
  });

  it('stores every good line around the bad ones in the middle of the file', async () => {
    const rows = await sqlRows(dataDir.path, "SELECT formatDateTime(ts, '%H:%i:%S') FROM logpulse.events FINAL WHERE ts >= '2025-03-14 09:00:13' AND ts <= '2025-03-14 09:00:22' ORDER BY ts, offset");
    // 09:00:13 is just before the first bad line, 09:00:15 just after; 09:00:20 and 09:00:22 frame the second.
    expect(rows.map((row) => row[0])).toEqual(['09:00:13', '09:00:15', '09:00:16', '09:00:18', '09:00:20', '09:00:22', '09:00:22']);
  });

  it('keeps two byte-identical lines as two rows', async () => {
    const twice = '10.0.4.7 - james [14/Mar/2025:09:00:12 +0000] "POST /api/v1/orders HTTP/1.1" 201 312 "-" "curl/8.5.0"';
    const count = await sqlValue(dataDir.path, `SELECT count() FROM logpulse.events FINAL WHERE raw = '${twice.replace(/'/g, "\\'")}'`);
    expect(count).toBe('2');
    expect(await sqlValue(dataDir.path, 'SELECT count() - uniqExact(event_id) FROM logpulse.events FINAL')).toBe('0');
  });

  it('answers the saved queries top_sections and error_rates', async () => {
    const top = await sqlRows(dataDir.path, '', ['--query', 'top_sections', '--param', 'from=now-1000d']);
    expect(top.map(([section, hits]) => [section, hits])).toEqual([
      ['/pages', '6'],
      ['/api', '5'],
      ['/static', '3'],
      ['/', '2'],
      ['/search', '2'],
      ['/wp-login.php', '1'],
    ]);
    const errors = await sqlRows(dataDir.path, '', ['--query', 'error_rates', '--param', 'from=now-1000d']);
    // day, source, requests, client errors (404 twice), server errors (one 500)
    expect(errors.map((row) => row.slice(0, 5))).toEqual([['2025-03-14', 'vm', '19', '2', '1']]);
  });
});

describe('logpulse on the command line', () => {
  it('asks a running receiver through its query endpoint, as chDB opens a store in one process only', async () => {
    const dir = await tempDir('first-run-live');
    try {
      const port = await freeLoopbackPort();
      const receiver = spawnLogpulse(['run', '--no-tui', '--data-dir', dir.path, '--metrics-port', String(port), '--source', 'web1', ...RETENTION, FIXTURE]);
      running.push(receiver);
      await waitReady(receiver, port);
      let rows: string[][] = [];
      for (let attempt = 0; attempt < 40; attempt++) {
        rows = await sqlRows(dir.path, 'SELECT source, count() FROM logpulse.events FINAL GROUP BY source');
        if (rows[0]?.[1] === '19') break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(rows).toEqual([['web1', '19']]);
      expect(receiver.child.exitCode).toBeNull();
      // The two bad lines are counted where Prometheus reads them.
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const invalid = metrics.split('\n').find((line) => line.startsWith('logpulse_lines_total{') && line.includes('outcome="invalid"'));
      expect(invalid).toMatch(/source="web1"/);
      expect(invalid?.split(' ').at(-1)).toBe('2');
    } finally {
      for (const child of running.splice(0)) await child.stop('SIGKILL');
      await dir.dispose();
    }
  });

  it('exits 2 naming the option, the value and what was expected for --threshold ten', async () => {
    const dir = await tempDir('first-run-bad-option');
    try {
      const result = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dir.path, '--threshold', 'ten', FIXTURE]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe('logpulse: --threshold: expected a positive number of requests per second, got "ten"');
    } finally {
      await dir.dispose();
    }
  });

  it('stores the same file imported twice once, even when its checkpoints are lost', async () => {
    const dir = await tempDir('first-run-twice');
    try {
      for (let run = 0; run < 2; run++) {
        const port = await freeLoopbackPort();
        const result = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', dir.path, '--metrics-port', String(port), ...RETENTION, FIXTURE]);
        expect(result.code, result.stderr).toBe(0);
        // A fresh checkpoint store over the same ClickHouse store: the second run reads every byte again.
        await rm(join(dir.path, 'checkpoints.json'));
      }
      expect(await sqlValue(dir.path, 'SELECT count() FROM logpulse.events FINAL')).toBe('19');
      // Without FINAL the replayed rows may still be there before a merge: they are the same events.
      expect(await sqlValue(dir.path, 'SELECT uniqExact(event_id) FROM logpulse.events')).toBe('19');
    } finally {
      await dir.dispose();
    }
  });
});
