import { createReadStream } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { Prng, writeDemoFile } from '../../src/demo/index.js';
import {
  freeLoopbackPort,
  runLogpulse,
  spawnLogpulse,
  sqlValue,
  tempDir,
  waitFor,
  waitReady,
  type LogpulseChild,
} from './logpulse_process.js';

/**
 * Exactly-once under crashes: the receiver is killed with SIGKILL (no shutdown, no flush, no
 * checkpoint commit) at random points while it imports, restarted each time, and at the end
 * ClickHouse holds every line of the log once. The kill delays come from a seeded generator;
 * the seed is printed so that a failure can be replayed with LOGPULSE_E2E_SEED=<seed>.
 */

const SEED = Number(process.env['LOGPULSE_E2E_SEED'] ?? Date.now() % 1_000_000);
console.log(`crash_recovery: seed ${SEED} (replay with LOGPULSE_E2E_SEED=${SEED})`);

/** The demo's seeded generator, as a function. */
function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

/** One combined-format line, strictly: anything else is not counted in the expected totals. */
const COMBINED = /^\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ \S+ HTTP\/[\d.]+" \d{3} (\d+) "[^"]*" "[^"]*"$/;

/** Line count and byte sum of a combined log, read back from the file itself. */
async function expectedTotals(file: string): Promise<{ lines: number; bytes: bigint }> {
  let lines = 0;
  let bytes = 0n;
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of reader) {
    const match = COMBINED.exec(line);
    if (match?.[1] === undefined) throw new Error(`not a combined line: ${line}`);
    lines++;
    bytes += BigInt(match[1]);
  }
  return { lines, bytes };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

async function expectExactlyOnce(dataDir: string, expected: { lines: number; bytes: bigint }): Promise<void> {
  const totals = await sqlValue(dataDir, 'SELECT concat(toString(count()), \' \', toString(sum(bytes)), \' \', toString(count() - uniqExact(event_id))) FROM logpulse.events FINAL');
  expect(totals).toBe(`${expected.lines} ${expected.bytes} 0`);
}

describe('crash recovery', () => {
  it('stores every line of a batch import exactly once when the receiver is killed mid-import', async () => {
    const random = seededRandom(SEED);
    const dir = await tempDir('crash-once');
    try {
      const log = join(dir.path, 'access.log');
      // Timestamps of the past hour: well inside the table's retention.
      await writeDemoFile({ output: log, lines: 500_000, seed: SEED, startTime: Date.now() - 3_600_000, linesPerSecond: 150 });
      const expected = await expectedTotals(log);
      expect(expected.lines).toBe(500_000);
      const dataDir = join(dir.path, 'data');
      const args = (port: number): string[] => ['run', '--once', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), '--batch-rows', '20000', log];

      let kills = 0;
      for (let attempt = 0; attempt < 4; attempt++) {
        const receiver = spawnLogpulse(args(await freeLoopbackPort()));
        running.push(receiver);
        const delayMs = 700 + Math.floor(random() * 1_800);
        const finished = await Promise.race([receiver.exited.then(() => true), sleep(delayMs).then(() => false)]);
        if (finished) {
          const result = await receiver.exited;
          expect(result.code, result.stderr).toBe(0);
          break;
        }
        const result = await receiver.stop('SIGKILL');
        expect(result.signal).toBe('SIGKILL');
        kills++;
      }
      console.log(`crash_recovery: ${kills} kill(s) during the batch import`);
      // The first import (about 4 s on 2 cores) takes longer than the longest delay: at least one kill
      // always lands mid-import.
      expect(kills).toBeGreaterThanOrEqual(1);

      const last = await runLogpulse(args(await freeLoopbackPort()), 120_000);
      expect(last.code, last.stderr).toBe(0);
      await expectExactlyOnce(dataDir, expected);
    } finally {
      await dir.dispose();
    }
  }, 240_000);

  it('stores every line appended to a followed file exactly once across kills between appends', async () => {
    const random = seededRandom(SEED + 1);
    const dir = await tempDir('crash-follow');
    try {
      // The lines to append, made once; the followed file receives them slice by slice.
      const source = join(dir.path, 'generated.log');
      await writeDemoFile({ output: source, lines: 60_000, seed: SEED, startTime: Date.now() - 600_000, linesPerSecond: 100 });
      const expected = await expectedTotals(source);
      const text = await readFile(source);
      const log = join(dir.path, 'access.log');
      const dataDir = join(dir.path, 'data');
      const slices = 6;
      const cut = (i: number): number => {
        if (i >= slices) return text.length;
        const at = text.indexOf(0x0a, Math.floor((text.length * i) / slices));
        return at < 0 ? text.length : at + 1;
      };
      await appendFile(log, text.subarray(0, cut(1)));

      for (let slice = 1; slice < slices; slice++) {
        const port = await freeLoopbackPort();
        const receiver = spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), log]);
        running.push(receiver);
        await waitReady(receiver, port);
        // Append the next slice in two writes, the second one with the kill already on its way.
        const middle = text.indexOf(0x0a, Math.floor((cut(slice) + cut(slice + 1)) / 2)) + 1;
        await appendFile(log, text.subarray(cut(slice), middle));
        await sleep(200 + Math.floor(random() * 1_500));
        await appendFile(log, text.subarray(middle, cut(slice + 1)));
        const result = await receiver.stop('SIGKILL');
        expect(result.signal).toBe('SIGKILL');
        running.splice(running.indexOf(receiver), 1);
      }

      const port = await freeLoopbackPort();
      const receiver = spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(port), log]);
      running.push(receiver);
      await waitReady(receiver, port);
      // Through the running receiver's query endpoint, until every line has arrived.
      await waitFor(
        `all ${expected.lines} lines stored`,
        async () => ((await sqlValue(dataDir, 'SELECT count() FROM logpulse.events FINAL')) === String(expected.lines) ? true : undefined),
        60_000,
      );
      const stopped = await receiver.stop('SIGTERM');
      expect(stopped.code, stopped.stderr).toBe(0);
      await expectExactlyOnce(dataDir, expected);
    } finally {
      await dir.dispose();
    }
  }, 240_000);
});
