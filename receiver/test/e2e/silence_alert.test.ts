import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, runLogpulse, spawnLogpulse, sqlRows, tempDir, waitFor, waitReady, type LogpulseChild } from './logpulse_process.js';

/**
 * The silence alert in a real receiver with a 3-second threshold: a followed log that stops being
 * written gives "No logs received from ..." on the terminal, a line written again gives "Logs from
 * ... resumed at ...", and both land in alerts.jsonl and the alerts table, and in `logpulse report`.
 */

const SOURCE = 'web-7';
const line = (n: number): string => `203.0.113.${n} - - [22/Nov/2026:10:00:0${n % 10} +0000] "GET /pages/${n} HTTP/1.1" 200 512 "-" "curl/8.5.0"\n`;

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

describe('the silence alert of a live receiver', () => {
  const dirs: Array<{ dispose: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const dir of dirs) await dir.dispose();
  });

  it('prints and stores the silent and resumed transitions of a source that stops and starts again', async () => {
    const dataDir = await tempDir('silence');
    dirs.push(dataDir);
    const log = join(dataDir.path, 'access.log');
    await appendFile(log, line(1) + line(2));
    const port = await freeLoopbackPort();
    const receiver = spawnLogpulse([
      'run', log, '--data-dir', dataDir.path, '--source', SOURCE, '--no-tui', '--metrics-port', String(port),
      '--silence-minutes', '3s', '--retention-days', '10000', '--period', '60',
    ]);
    running.push(receiver);
    await waitReady(receiver, port);

    const silentLine = `No logs received from ${SOURCE} for 0.05 minutes`;
    const wroteLast = Date.now();
    await waitFor('silence line on stdout', () => (receiver.stdout().includes(silentLine) ? true : undefined), 20_000);
    // Not before the threshold: the last lines were read right after start, 3 s of quiet at least.
    expect(Date.now() - wroteLast).toBeGreaterThanOrEqual(3000);

    await appendFile(log, line(3));
    const resumed = await waitFor('resumed line on stdout', () => /Logs from web-7 resumed at (\S+)/.exec(receiver.stdout()) ?? undefined, 20_000);
    expect(resumed[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    const history = await waitFor('two transitions in alerts.jsonl', async () => {
      const lines = (await readFile(join(dataDir.path, 'alerts.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
      return lines.length >= 2 ? lines.map((l) => JSON.parse(l) as Record<string, unknown>) : undefined;
    }, 10_000);
    expect(history.map((t) => [t['alert'], t['source'], t['state'], t['message']])).toEqual([
      ['SourceSilent', SOURCE, 'firing', silentLine],
      ['SourceSilent', SOURCE, 'resolved', `Logs from ${SOURCE} resumed at ${resumed[1]}`],
    ]);
    expect(history[0]?.['windowSeconds']).toBe(3);

    // The alerts table, asked through the running receiver's query endpoint.
    const rows = await waitFor('two rows in logpulse.alerts', async () => {
      const found = await sqlRows(dataDir.path, "SELECT alert, source, state, window_seconds, message FROM logpulse.alerts FINAL WHERE alert = 'SourceSilent' ORDER BY at, state");
      return found.length >= 2 ? found : undefined;
    }, 15_000);
    expect(rows).toEqual([
      ['SourceSilent', SOURCE, 'firing', '3', silentLine],
      ['SourceSilent', SOURCE, 'resolved', '3', `Logs from ${SOURCE} resumed at ${resumed[1]}`],
    ]);

    // The report, while the receiver runs (through its query endpoint), then once it has stopped
    // and stored its last minute's line counts. Columns summed: the run may straddle an hour.
    const totals = async (): Promise<number[]> => {
      const result = await runLogpulse(['report', '--data-dir', dataDir.path, '--since', '1h', '--format', 'csv']);
      expect(result.code, result.stderr).toBe(0);
      const sums = [0, 0, 0, 0, 0, 0];
      for (const row of result.stdout.trim().split('\r\n').slice(1)) {
        const cells = row.split(',');
        if (cells[1] === SOURCE) cells.slice(2).forEach((v, i) => (sums[i]! += Number(v)));
      }
      return sums;
    };
    // The third line's row is stored within a flush interval of its read: wait for it, not for luck.
    const live = await waitFor('the three events in the report', async () => {
      const sums = await totals();
      return sums[1] === 3 ? sums : undefined;
    }, 15_000);
    expect([live[1], live[4], live[5]]).toEqual([3, 1, 1]);
    await receiver.stop();
    // lines, events, bytes, invalid, silent periods, alerts
    expect(await totals()).toEqual([3, 3, 1536, 0, 1, 1]);
  }, 90_000);

  it('gives no silence alert in a batch import, however old its lines', async () => {
    const dataDir = await tempDir('silence-once');
    dirs.push(dataDir);
    const log = join(dataDir.path, 'access.log');
    await appendFile(log, line(1) + line(2));
    const result = await runLogpulse(['run', '--once', log, '--data-dir', dataDir.path, '--no-tui', '--metrics-port', '0', '--silence-minutes', '1ms', '--retention-days', '10000']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('No logs received');
  }, 60_000);

  it('refuses a silence threshold that is not a duration', async () => {
    const result = await runLogpulse(['run', '--once', '/dev/null', '--silence-minutes', 'soon']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--silence-minutes: expected a positive number of minutes (or a duration like 30s, 2m), got "soon"');
  });
});
