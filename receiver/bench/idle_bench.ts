import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from './bench_error.js';
import { LOGPULSE_BIN } from './paths.js';

/** CPU a live receiver spends following `files` files that nobody writes to. */
export interface IdleFigure {
  files: number;
  seconds: number;
  /** Process CPU time (user + system, every thread, chDB's included) over `seconds`. */
  cpuSeconds: number;
  /** `cpuSeconds / seconds` in percent of one core. */
  percentOfOneCore: number;
}

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of `pid`, in seconds, from /proc/<pid>/stat (fields 14 and 15). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count after its end.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until every file is checkpointed to its end: from then on, nothing is left to read. */
async function waitAllRead(dataDir: string, files: number, totalBytes: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { files: entries } = JSON.parse(await readFile(path.join(dataDir, 'checkpoints.json'), 'utf8')) as { files: Array<{ offset: number }> };
      if (entries.length >= files && entries.reduce((sum, e) => sum + e.offset, 0) >= totalBytes) return;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new BenchError('idle', `${files} files not all read within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * Starts `logpulse run <dir>` (live, plain view, embedded engine) on a directory of `files` small
 * files, waits until they are read and settled, then measures the process's CPU time over
 * `seconds` while nothing is written.
 */
export async function benchIdle(files: number, seconds: number): Promise<IdleFigure> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logpulse-idle-'));
  try {
    const logs = path.join(dir, 'logs');
    await mkdir(logs);
    const stamp = new Date().toISOString();
    let totalBytes = 0;
    for (let n = 0; n < files; n++) {
      const text = `{"level":"info","time":"${stamp}","sender":"Upload","remote_addr":"203.0.113.${n % 250}:5${n % 1000}","username":"user${n}","size_bytes":${n},"file_path":"/f${n}","elapsed_ms":1,"protocol":"SFTP","connection_id":"c${n}"}\n`;
      totalBytes += Buffer.byteLength(text);
      await writeFile(path.join(logs, `sftpgo-${n}.log`), text);
    }
    const dataDir = path.join(dir, 'data');
    const child = spawn(process.execPath, [LOGPULSE_BIN, 'run', logs, '--no-tui', '--data-dir', dataDir, '--metrics-port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitAllRead(dataDir, files, totalBytes, 120_000).catch((error: unknown) => {
        throw new BenchError('idle', `${(error as Error).message}\n${stderr}`);
      });
      // Past the start-up, the first inserts and the backoff reaching its longest wait.
      await sleep(5_000);
      const pid = child.pid as number;
      const before = await cpuSecondsOf(pid);
      await sleep(seconds * 1000);
      const cpuSeconds = (await cpuSecondsOf(pid)) - before;
      return { files, seconds, cpuSeconds, percentOfOneCore: (100 * cpuSeconds) / seconds };
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
