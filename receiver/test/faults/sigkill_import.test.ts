import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, spawnLogpulse, sqlValue, tempDir, type LogpulseChild } from '../e2e/logpulse_process.js';
import { PeakRss, report, tally } from './fault_tally.js';
import { seededRandom, sequencedText } from './sequenced_lines.js';

/**
 * Scenario a: a batch import of LOGPULSE_FAULTS_IMPORT_LINES lines (1,000,000 by default) by the
 * real CLI (`run --once`), killed with SIGKILL at 20 seeded random moments and started again after
 * each kill; at the end ClickHouse holds every line once. Replay a run with LOGPULSE_FAULTS_SEED.
 */

const SEED = Number(process.env['LOGPULSE_FAULTS_SEED'] ?? Date.now() % 1_000_000);
const LINES = Number(process.env['LOGPULSE_FAULTS_IMPORT_LINES'] ?? 1_000_000);
// Twenty kills fit in a 1M-line import; a smaller one for development gets proportionally fewer.
const KILLS = Math.min(20, Math.ceil(LINES / 50_000));
console.log(`faults sigkill import: seed ${SEED} (replay with LOGPULSE_FAULTS_SEED=${SEED})`);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

describe('fault: SIGKILL during a batch import', () => {
  it(`stores each of ${LINES} lines once across ${KILLS} kills at seeded random moments`, async () => {
    const random = seededRandom(SEED);
    const dir = await tempDir('faults-import');
    const rss = new PeakRss();
    try {
      const log = join(dir.path, 'access.log');
      // One line every 5 ms, ending now: inside the table's range and any retention.
      await writeFile(log, sequencedText(0, LINES, Date.now() - LINES * 5, 5, SEED));
      const dataDir = join(dir.path, 'data');
      const args = (port: number): string[] => ['run', '--once', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), log];

      let kills = 0;
      let finishedEarly = false;
      const started = Date.now();
      while (kills < KILLS) {
        const receiver = spawnLogpulse(args(await freeLoopbackPort()));
        running.push(receiver);
        rss.watch(receiver.child.pid);
        // A start-up takes about 1.5 s on two cores: moments from just before the first batch to
        // about a second of importing, so that twenty of them land inside one import.
        const delayMs = 1_000 + Math.floor(random() * 1_400);
        const exited = await Promise.race([receiver.exited.then(() => true), sleep(delayMs).then(() => false)]);
        if (exited) {
          const result = await receiver.exited;
          expect(result.code, result.stderr).toBe(0);
          finishedEarly = true;
          break;
        }
        expect((await receiver.stop('SIGKILL')).signal).toBe('SIGKILL');
        running.splice(running.indexOf(receiver), 1);
        kills++;
      }
      const last = spawnLogpulse(args(await freeLoopbackPort()));
      running.push(last);
      rss.watch(last.child.pid);
      const result = await last.exited;
      expect(result.code, result.stderr).toBe(0);
      const elapsedS = ((Date.now() - started) / 1000).toFixed(0);
      rss.stop();

      const t = await tally((query) => sqlValue(dataDir, query), LINES);
      report('a sigkill import', t, rss.peakMb, { kills, seed: SEED, 'elapsed s': elapsedS });
      expect(finishedEarly, `the import finished after ${kills} kills`).toBe(false);
      expect(kills).toBe(KILLS);
      expect({ lost: t.lost, duplicated: t.duplicated, stored: t.stored }).toEqual({ lost: 0, duplicated: 0, stored: LINES });
    } finally {
      rss.stop();
      await dir.dispose();
    }
  }, 600_000);
});

