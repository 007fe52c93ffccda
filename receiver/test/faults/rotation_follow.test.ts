import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, spawnLogpulse, sqlRows, sqlValue, tempDir, waitReady, type LogpulseChild } from '../e2e/logpulse_process.js';
import { doubled, missing, PeakRss, report, tally } from './fault_tally.js';
import { RotatingWriter } from './rotating_writer.js';
import { SEQ_SQL, seededRandom } from './sequenced_lines.js';

/**
 * Scenario b: a live follow of a folder whose log is written at 2,000-5,000 lines/s and rotated
 * every 1-2 s (rename + create, copytruncate, gzip of the renamed file, SFTPGo's dated rename),
 * the receiver killed with SIGKILL every 5-9 s and started again. Every line that is in some file
 * is stored once. Lines in no file (written between a copy and its truncate) are copytruncate's
 * own loss, reported apart. Seeds: LOGPULSE_FAULTS_SEEDS (comma-separated), run length in seconds:
 * LOGPULSE_FAULTS_FOLLOW_SECONDS.
 */

const BASE_SEED = Number(process.env['LOGPULSE_FAULTS_SEED'] ?? Date.now() % 1_000_000);
const SEEDS = (process.env['LOGPULSE_FAULTS_SEEDS'] ?? `${BASE_SEED},${BASE_SEED + 1},${BASE_SEED + 2}`).split(',').map(Number);
const SECONDS = Number(process.env['LOGPULSE_FAULTS_FOLLOW_SECONDS'] ?? 30);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

describe('fault: live follow through rotations and kills', () => {
  for (const seed of SEEDS) {
    it(`stores every line present in a file once (seed ${seed}, replay with LOGPULSE_FAULTS_SEEDS=${seed})`, async () => {
      const random = seededRandom(seed);
      const dir = await tempDir('faults-follow');
      const rss = new PeakRss();
      try {
        const logs = join(dir.path, 'logs');
        await mkdir(logs);
        const dataDir = join(dir.path, 'data');
        const start = async (): Promise<{ receiver: LogpulseChild; port: number }> => {
          const port = await freeLoopbackPort();
          const receiver = spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), logs]);
          running.push(receiver);
          rss.watch(receiver.child.pid);
          return { receiver, port };
        };
        const rate = 2_000 + Math.floor(random() * 3_000);
        const writer = new RotatingWriter(logs, rate, random, seededRandom(seed + 1_000_003));
        let current = await start();
        await waitReady(current.receiver, current.port);
        writer.start();
        const until = Date.now() + SECONDS * 1000;
        let kills = 0;
        while (Date.now() < until) {
          await sleep(Math.min(5_000 + Math.floor(random() * 4_000), Math.max(0, until - Date.now())));
          if (Date.now() >= until) break;
          expect((await current.receiver.stop('SIGKILL')).signal).toBe('SIGKILL');
          running.splice(running.indexOf(current.receiver), 1);
          if (process.env['LOGPULSE_FAULTS_KEEP'] !== undefined) await writeFile(join(dir.path, `receiver-${kills}.log`), current.receiver.stderr());
          kills++;
          current = await start();
        }
        const stats = await writer.stop();
        const onDisk = writer.onDisk();
        await waitReady(current.receiver, current.port, 60_000);
        // Until every line that is in a file has arrived, or nothing more arrives for 10 s.
        const sql = (query: string): Promise<string> => sqlValue(dataDir, query);
        let lastCount = -1;
        let stableSince = Date.now();
        for (;;) {
          const count = Number(await sql('SELECT uniqExact(path) FROM logpulse.events'));
          if (count !== lastCount) stableSince = Date.now();
          lastCount = count;
          if (count >= onDisk.size && Date.now() - stableSince > 3_000) break;
          if (Date.now() - stableSince > 10_000) break;
          await sleep(1_000);
        }
        const stopped = await current.receiver.stop('SIGTERM');
        expect(stopped.code, stopped.stderr).toBe(0);
        rss.stop();

        const t = await tally(sql, stats.written);
        const absent = await missing(sql, stats.written);
        const receiverLost = absent.filter((seq) => onDisk.has(seq));
        const inNoFile = stats.written - onDisk.size;
        const inWindows = (seq: number): boolean => stats.copyWindows.some(([from, to]) => seq >= from && seq < to);
        const strayGap = [...Array(stats.written).keys()].filter((seq) => !onDisk.has(seq) && !inWindows(seq));
        const twice = await doubled(sql);
        report('b rotation follow', { ...t, lost: receiverLost.length }, rss.peakMb, {
          seed,
          'lines/s': rate,
          kills,
          rotations: JSON.stringify(stats.rotations),
          'copytruncate gap (in no file)': inNoFile,
          'of which stored anyway': inNoFile - (absent.length - receiverLost.length),
        });
        if (twice.length > 0) {
          // Which files and offsets the doubles came from: what a replay needs to find the cause.
          const rows = await sqlRows(
            dataDir,
            `SELECT copy, file, min(offset), max(offset), count(), min(seq), max(seq), min(received_at), max(received_at) FROM (SELECT file, offset, received_at, ${SEQ_SQL} AS seq, row_number() OVER (PARTITION BY seq ORDER BY received_at, event_id) AS copy FROM logpulse.events FINAL WHERE seq IN (${twice.slice(0, 1000).join(',')})) GROUP BY copy, file ORDER BY copy, min(seq)`,
          );
          console.log(`faults b: doubled lines by file (copy, file, offsets, rows, seqs, received):\n${rows.map((row) => row.join('  ')).join('\n')}`);
        }
        expect(strayGap, 'lines in no file outside a copytruncate window: a bug of the writer').toEqual([]);
        expect({ receiverLost: receiverLost.slice(0, 20), twice: twice.slice(0, 20) }).toEqual({ receiverLost: [], twice: [] });
        expect(t.duplicated).toBe(0);
      } finally {
        rss.stop();
        if (process.env['LOGPULSE_FAULTS_KEEP'] === undefined) await dir.dispose();
        else console.log(`faults b: kept ${dir.path}`);
      }
    }, 300_000);
  }
});
