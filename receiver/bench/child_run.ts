import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Wall time from spawn to exit. */
  seconds: number;
  /** Highest VmHWM seen (bytes), 0 when /proc could not be read. */
  peakRssBytes: number;
  stdout: string;
  stderr: string;
}

/** Peak resident set size of a running process, from /proc (Linux); 0 when unreadable. */
export function peakRssOf(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** Output kept from a child: the tail is what explains a failure. */
const MAX_OUTPUT_CHARS = 64 * 1024;

function keepTail(text: string, chunk: Buffer): string {
  const joined = text + chunk.toString('utf8');
  return joined.length > MAX_OUTPUT_CHARS ? joined.slice(-MAX_OUTPUT_CHARS) : joined;
}

/**
 * Runs `command args` to its end, timing it and polling its VmHWM (a high-water mark, so polling
 * every `pollMs` loses nothing but the last interval's growth).
 */
export function runChild(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; pollMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let peakRssBytes = 0;
    const poll = (): void => {
      if (child.pid !== undefined) peakRssBytes = Math.max(peakRssBytes, peakRssOf(child.pid));
    };
    const timer = setInterval(poll, options.pollMs ?? 50);
    child.stdout.on('data', (chunk: Buffer) => (stdout = keepTail(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = keepTail(stderr, chunk)));
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', poll);
    child.on('close', (exitCode, signal) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ exitCode, signal, seconds, peakRssBytes, stdout, stderr });
    });
  });
}
