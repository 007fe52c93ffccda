import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/sources/file/file_source.js';
import { Collector, MemoryLogger, tempDir } from '../sources/helpers.js';
import { RotatingWriter } from './rotating_writer.js';
import { seededRandom } from './sequenced_lines.js';

/**
 * Scenario b': the file source alone, in process, under a rotation storm: 4,000 lines/s and a
 * rotation every 20-80 ms in the mix of scenario b (rename, copytruncate, gzip, dated rename), the
 * source stopped and started again on its checkpoints every 0.5-1.5 s. Fifty times more rotations
 * a second than scenario b, so that races between a rotation and a scan show within seconds. Every
 * line present in a file must reach the handler, and under one identity (file id and offset):
 * the same line under two ids is a line stored twice. Seeds: LOGPULSE_FAULTS_STORM_SEEDS
 * (comma-separated), run length in seconds: LOGPULSE_FAULTS_STORM_SECONDS.
 */

const BASE_SEED = Number(process.env['LOGPULSE_FAULTS_SEED'] ?? Date.now() % 1_000_000);
const SEEDS = (process.env['LOGPULSE_FAULTS_STORM_SEEDS'] ?? `${BASE_SEED},${BASE_SEED + 1},${BASE_SEED + 2}`).split(',').map(Number);
const SECONDS = Number(process.env['LOGPULSE_FAULTS_STORM_SECONDS'] ?? 10);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The files of `dir` that hold line `seq`, with its offset in each. */
function whereIs(dir: string, seq: number): string {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const raw = readFileSync(join(dir, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const at = text.indexOf(`"GET /seq/${seq} `);
    if (at >= 0) found.push(`${name} at byte ${text.lastIndexOf('\n', at) + 1} of ${text.length}`);
  }
  return found.join(', ');
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe('fault: a rotation storm against the file source, restarted on its checkpoints', () => {
  for (const seed of SEEDS) {
    it(`hands on every line present in a file under one identity (seed ${seed}, replay with LOGPULSE_FAULTS_STORM_SEEDS=${seed})`, async () => {
      const random = seededRandom(seed);
      const { dir, cleanup } = tempDir('logpulse-storm-');
      cleanups.push(cleanup);
      const logs = join(dir, 'logs');
      mkdirSync(logs);
      const collector = new Collector();
      let source: FileSource | undefined;
      cleanups.push(() => source?.shutdown());
      const start = async (): Promise<void> => {
        source = new FileSource(
          { paths: [logs], dataDir: join(dir, 'data'), source: 'storm', pollIntervalMs: 5, maxPollIntervalMs: 20, commitIntervalMs: 50, rotateWaitMs: 300, logger: new MemoryLogger() },
          collector.handle,
        );
        await source.start();
      };
      await start();
      const writer = new RotatingWriter(logs, 4_000, random, seededRandom(seed + 1_000_003), undefined, [20, 60]);
      writer.start();
      const until = Date.now() + SECONDS * 1000;
      let restarts = 0;
      while (Date.now() < until) {
        await sleep(Math.min(500 + Math.floor(random() * 1_000), Math.max(0, until - Date.now())));
        if (Date.now() >= until) break;
        await source?.shutdown();
        await start();
        restarts++;
      }
      const stats = await writer.stop();
      const onDisk = writer.onDisk();
      // Until every line in a file has arrived, or nothing more arrives for 2 s.
      let last = -1;
      let stableSince = Date.now();
      while (Date.now() - stableSince < 2_000) {
        const count = collector.lines().length;
        if (count !== last) stableSince = Date.now();
        last = count;
        await sleep(100);
      }
      const identities = new Map<number, Set<string>>();
      for (const line of collector.lines()) {
        const seq = Number(/"GET \/seq\/(\d+) /.exec(line.text)?.[1] ?? -1);
        let ids = identities.get(seq);
        if (!ids) identities.set(seq, (ids = new Set()));
        ids.add(`${line.fileId}@${line.offset} (${line.file.split('/').pop() ?? ''})`);
      }
      const twice = [...identities.entries()].filter(([, ids]) => ids.size > 1);
      const lost = [...onDisk].filter((seq) => !identities.has(seq));
      console.log(
        `faults b' rotation storm: seed ${seed}, lines written ${stats.written}, in a file ${onDisk.size}, handed on ${identities.size}, lost ${lost.length}, under two ids ${twice.length}, restarts ${restarts}, rotations ${JSON.stringify(stats.rotations)}`,
      );
      if (lost.length > 0) console.log(`faults b': first line lost is in ${whereIs(logs, lost[0] ?? -1)}`);
      const examples = twice.slice(0, 3).map(([seq, ids]) => `${seq}: ${[...ids].join(', ')}`);
      expect({ lost: lost.slice(0, 10), twice: examples }).toEqual({ lost: [], twice: [] });
    }, 120_000);
  }
});
