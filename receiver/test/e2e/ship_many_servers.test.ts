import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDemoFile } from '../../src/demo/index.js';
import { freeLoopbackPort, spawnLogpulse, sqlRows, sqlValue, tempDir, waitFor, waitReady, type LogpulseChild } from './logpulse_process.js';

/**
 * Many servers, one receiver, with real processes on loopback: a central `logpulse run` with its
 * OTLP/HTTP endpoint and the embedded engine, and three `logpulse ship` agents, each following the
 * folder of its own access log. The logs grow slice by slice and are rotated (rename, then a new
 * file at the same path) twice; the central receiver is SIGKILLed and restarted mid-stream, one
 * agent is SIGKILLed during that outage (lines read, none stored: an agent that acknowledged before
 * the receiver's 2xx loses them here) and another while the receiver is up. At the end ClickHouse
 * holds every line exactly once.
 */

const AGENTS = 3;
const LINES_PER_AGENT = 12_000;
const SLICES = 6;
const TOKEN = 'e2e-central-token-5f1c';
const BYTES = /" \d{3} (\d+) "/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running = new Set<LogpulseChild>();
afterEach(async () => {
  for (const child of running) await child.stop('SIGKILL');
  running.clear();
});

function track(child: LogpulseChild): LogpulseChild {
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

/** The lines' ends in `text`, cut into `slices` parts at line boundaries. */
function cuts(text: Buffer, slices: number): number[] {
  const at = [0];
  for (let i = 1; i < slices; i++) at.push(text.indexOf(0x0a, Math.floor((text.length * i) / slices)) + 1);
  at.push(text.length);
  return at;
}

describe('many servers shipping to one receiver', () => {
  it('stores every line of three rotating logs exactly once when the receiver and two agents are killed mid-stream', async () => {
    const dir = await tempDir('ship-many');
    try {
      const dataDir = join(dir.path, 'central');
      const metricsPort = await freeLoopbackPort();
      const otlpPort = await freeLoopbackPort();
      const central = (): LogpulseChild =>
        track(spawnLogpulse(['run', '--no-tui', '--data-dir', dataDir, '--metrics-port', String(metricsPort), '--otlp-port', String(otlpPort), '--flush-interval-ms', '200'], { LOGPULSE_INGEST_TOKEN: TOKEN }));

      const texts: Buffer[] = [];
      let expectedBytes = 0n;
      for (let a = 0; a < AGENTS; a++) {
        const generated = join(dir.path, `generated-${a}.log`);
        await writeDemoFile({ output: generated, lines: LINES_PER_AGENT, seed: 100 + a, startTime: Date.now() - 900_000, linesPerSecond: 20 });
        const text = await readFile(generated);
        texts.push(text);
        for (const line of text.toString('utf8').split('\n')) {
          if (line === '') continue;
          const bytes = BYTES.exec(line)?.[1];
          if (bytes === undefined) throw new Error(`no bytes field: ${line}`);
          expectedBytes += BigInt(bytes);
        }
        await mkdir(join(dir.path, `web-${a}`));
      }
      const logOf = (a: number): string => join(dir.path, `web-${a}`, 'access.log');
      const agent = (a: number): LogpulseChild =>
        track(spawnLogpulse(
          ['ship', '--to', `http://127.0.0.1:${otlpPort}`, '--source', `web-${a}`, '--data-dir', join(dir.path, `agent-${a}`), '--status', 'off',
            '--batch-lines', '1000', '--retry-initial-ms', '100', '--retry-max-ms', '800', join(dir.path, `web-${a}`)],
          { LOGPULSE_SHIP_TOKEN: TOKEN },
        ));

      let receiver = central();
      await waitReady(receiver, metricsPort);
      const agents = Array.from({ length: AGENTS }, (_, a) => agent(a));
      const at = texts.map((text) => cuts(text, SLICES));
      const appendSlice = async (slice: number): Promise<void> => {
        for (let a = 0; a < AGENTS; a++) await appendFile(logOf(a), texts[a]!.subarray(at[a]![slice]!, at[a]![slice + 1]!));
      };
      /** logrotate's default: rename the file away, create a new one at the path. */
      const rotate = async (generation: number): Promise<void> => {
        for (let a = 0; a < AGENTS; a++) {
          await rename(logOf(a), `${logOf(a)}.${generation}`);
          await writeFile(logOf(a), '');
        }
      };

      await appendSlice(0);
      await sleep(700);
      await rotate(1);
      await appendSlice(1);
      await sleep(300);
      // The central receiver dies with requests in flight; the agents retry until it is back.
      expect((await receiver.stop('SIGKILL')).signal).toBe('SIGKILL');
      await appendSlice(2);
      // An agent dies during the outage, with lines read and not stored (past its checkpoint interval):
      // its next start must send them again.
      await sleep(1_800);
      expect((await agents[0]!.stop('SIGKILL')).signal).toBe('SIGKILL');
      receiver = central();
      await waitReady(receiver, metricsPort);
      agents[0] = agent(0);
      await appendSlice(3);
      await sleep(400);
      // One agent dies between appends; its checkpoints only hold what the receiver stored.
      expect((await agents[1]!.stop('SIGKILL')).signal).toBe('SIGKILL');
      await rotate(2);
      await appendSlice(4);
      agents[1] = agent(1);
      await appendSlice(5);

      const expected = AGENTS * LINES_PER_AGENT;
      await waitFor(
        `all ${expected} lines stored`,
        async () => ((await sqlValue(dataDir, 'SELECT count() FROM logpulse.events FINAL')) === String(expected) ? true : undefined),
        90_000,
      );
      for (const child of agents) {
        const result = await child.stop('SIGTERM');
        expect(result.code, result.stderr).toBe(0);
      }
      // The outage reached the agents: they failed to send and retried until the new receiver stored their lines.
      expect(agents.filter((child) => child.stderr().includes('retrying until the receiver stores the lines')).length).toBeGreaterThanOrEqual(1);
      const totals = await sqlValue(dataDir, "SELECT concat(toString(count()), ' ', toString(sum(bytes)), ' ', toString(uniqExact(event_id))) FROM logpulse.events FINAL");
      expect(totals).toBe(`${expected} ${expectedBytes} ${expected}`);
      // No copies waiting for a merge either: a retried request folded onto its rows by event id.
      const copies = await sqlValue(dataDir, 'SELECT count() - uniqExact(event_id) FROM logpulse.events');
      console.log(`ship_many_servers: ${copies} resent row(s) folded by event id`);
      const perSource = await sqlRows(dataDir, 'SELECT source, count(), uniqExact(file) FROM logpulse.events FINAL GROUP BY source ORDER BY source');
      expect(perSource).toEqual(Array.from({ length: AGENTS }, (_, a) => [`web-${a}`, String(LINES_PER_AGENT), expect.any(String)]));
      const stopped = await receiver.stop('SIGTERM');
      expect(stopped.code, stopped.stderr).toBe(0);
    } finally {
      await dir.dispose();
    }
  }, 180_000);
});
