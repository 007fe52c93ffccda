import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from './bench_error.js';
import { CentralReceiver } from './central_receiver.js';
import { LOGPULSE_BIN } from './paths.js';
import { freePort } from './free_port.js';

export interface ShipFigure {
  lines: number;
  /** From the agent's start until the receiver stored the last line. */
  seconds: number;
  /** The agent's CPU time (user + system) while shipping. */
  cpuSeconds: number;
  /** The agent's peak RSS (VmHWM) while shipping. */
  peakRssBytes: number;
  idleSeconds: number;
  /** The agent's CPU time over `idleSeconds` once everything was shipped, the file still followed. */
  idleCpuSeconds: number;
  /** The agent's RSS at the end of the idle period. */
  idleRssBytes: number;
  storedRows: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

async function cpuSecondsOf(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** VmHWM (peak) and VmRSS of `pid`, in bytes. */
async function memoryOf(pid: number): Promise<{ peak: number; rss: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { peak: kb('VmHWM'), rss: kb('VmRSS') };
}

async function shippedLines(metricsPort: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('logpulse_ship_lines_total '));
    return line === undefined ? 0 : Number(line.slice('logpulse_ship_lines_total '.length));
  } catch {
    return 0; // not listening yet
  }
}

/**
 * `logpulse ship` (the real command, defaults) following `file` into a central receiver with the
 * embedded engine: its CPU and peak RSS until the receiver stored every line, then its CPU and
 * RSS while it follows the file and nothing is written for `idleSeconds`.
 */
export async function benchShip(file: string, lines: number, dir: string, idleSeconds: number): Promise<ShipFigure> {
  const receiver = await CentralReceiver.start('ship', path.join(dir, 'central-ship'));
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [LOGPULSE_BIN, 'ship', '--to', receiver.logsUrl, '--source', 'bench-agent', '--data-dir', path.join(dir, 'ship-data'), '--status', 'off', '--metrics-port', String(metricsPort), '--log-level', 'warn', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const started = process.hrtime.bigint();
  try {
    const pid = child.pid as number;
    const deadline = Date.now() + 600_000;
    while ((await shippedLines(metricsPort)) < lines) {
      if (child.exitCode !== null) throw new BenchError('ship', `agent exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new BenchError('ship', `not all ${lines} lines shipped within 600 s: ${stderr}`);
      await sleep(100);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = await cpuSecondsOf(pid);
    const { peak } = await memoryOf(pid);
    // Past the last answers and the poll backoff reaching its longest wait.
    await sleep(3_000);
    const before = await cpuSecondsOf(pid);
    await sleep(idleSeconds * 1000);
    const idleCpuSeconds = (await cpuSecondsOf(pid)) - before;
    const { rss } = await memoryOf(pid);
    const storedRows = await receiver.queryNumber("SELECT count() FROM logpulse.events FINAL WHERE source = 'bench-agent'");
    if (storedRows !== lines) throw new BenchError('ship', `${storedRows} rows stored of ${lines} lines shipped`);
    return { lines, seconds, cpuSeconds, peakRssBytes: peak, idleSeconds, idleCpuSeconds, idleRssBytes: rss, storedRows };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('close', resolve) : resolve(undefined)));
    await receiver.stop();
  }
}
