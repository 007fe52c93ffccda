import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, spawnLogpulse, sqlValue, tempDir, type LogpulseChild } from '../e2e/logpulse_process.js';
import { PeakRss, report, tally } from './fault_tally.js';
import { seededRandom, sequencedText } from './sequenced_lines.js';

/**
 * Scenario a: a batch import of LOGPULSE_FAULTS_IMPORT_LINES lines (1,000,000 by default) by the
 * real CLI (`run --once`), killed with SIGKILL at 20 seeded random moments and started again after
 * each kill; at the end ClickHouse holds every line once. Replay a run with LOGPULSE_FAULTS_SEED.
 *
 * The moments are drawn in the import's progress, not in wall time, so that all twenty land inside
 * the import however fast the machine is: a quarter during a start-up (a seeded delay after the
 * spawn), the others once the checkpoint has passed a seeded point of the file, plus a seeded
 * delay of up to a second (one commit interval), so that kills fall anywhere between two
 * checkpoint writes.
 */

const SEED = Number(process.env['LOGPULSE_FAULTS_SEED'] ?? Date.now() % 1_000_000);
const LINES = Number(process.env['LOGPULSE_FAULTS_IMPORT_LINES'] ?? 1_000_000);
// Twenty kills fit in a 1M-line import; a smaller one for development gets proportionally fewer.
const KILLS = Math.min(20, Math.ceil(LINES / 50_000));
console.log(`faults sigkill import: seed ${SEED} (replay with LOGPULSE_FAULTS_SEED=${SEED})`);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Where each kill happens: `startupMs` after the spawn, or once the checkpoint passed `atByte`. */
type KillMoment = { startupMs: number } | { atByte: number; extraMs: number };

/**
 * Twenty moments: a quarter in a start-up, the rest at sorted points of the first 45 % of the file.
 * The checkpoint trails the reading by up to a commit interval and the kill comes up to a second
 * later: the rest of the file leaves room for those two seconds on a fast machine.
 */
function killMoments(random: () => number, kills: number, bytes: number): KillMoment[] {
  const startups = new Set<number>();
  const points: number[] = [];
  for (let i = 0; i < kills; i++) {
    if (random() < 0.25) startups.add(i);
    else points.push(Math.floor((0.02 + random() * 0.43) * bytes));
  }
  points.sort((a, b) => a - b);
  return [...Array(kills).keys()].map((i) =>
    startups.has(i) ? { startupMs: 100 + Math.floor(random() * 1_400) } : { atByte: points.shift() ?? 0, extraMs: Math.floor(random() * 1_000) },
  );
}

/** The offset checkpointed for `log` in `dataDir`, 0 before the first checkpoint write. */
async function checkpointed(dataDir: string, log: string): Promise<number> {
  const text = await readFile(join(dataDir, 'checkpoints.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return 0;
  const files = (JSON.parse(text) as { files: Array<{ path: string; offset: number }> }).files;
  return files.find((entry) => entry.path === log)?.offset ?? 0;
}

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

      const moments = killMoments(random, KILLS, (await stat(log)).size);
      let kills = 0;
      let finishedEarly = false;
      const started = Date.now();
      for (const moment of moments) {
        const receiver = spawnLogpulse(args(await freeLoopbackPort()));
        running.push(receiver);
        rss.watch(receiver.child.pid);
        let exited = false;
        receiver.exited.then(() => (exited = true), () => (exited = true));
        if ('startupMs' in moment) {
          await sleep(moment.startupMs);
        } else {
          while (!exited && (await checkpointed(dataDir, log)) < moment.atByte) await sleep(20);
          await sleep(moment.extraMs);
        }
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
      const inStartUp = moments.slice(0, kills).filter((moment) => 'startupMs' in moment).length;
      report('a sigkill import', t, rss.peakMb, { kills, 'of which in a start-up': inStartUp, seed: SEED, 'elapsed s': elapsedS });
      expect(finishedEarly, `the import finished after ${kills} kills`).toBe(false);
      expect(kills).toBe(KILLS);
      expect({ lost: t.lost, duplicated: t.duplicated, stored: t.stored }).toEqual({ lost: 0, duplicated: 0, stored: LINES });
    } finally {
      rss.stop();
      await dir.dispose();
    }
  }, 600_000);
});

