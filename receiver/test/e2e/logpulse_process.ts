import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../engines/prometheus.js';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';

/**
 * The compiled `logpulse` command run as a child process, as an operator runs it: a one-shot
 * command that is awaited to its exit code, or a long-running receiver that is killed at the end.
 */

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface LogpulseChild {
  readonly child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  readonly exited: Promise<CommandResult>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after 15 s. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<CommandResult>;
}

/** Starts `logpulse <args>` with the repository as working directory. */
export function spawnLogpulse(args: readonly string[], env: NodeJS.ProcessEnv = {}): LogpulseChild {
  const child = spawn(process.execPath, [LOGPULSE_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<CommandResult>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
    child.once('error', (error) => resolve({ code: null, signal: null, stdout: out, stderr: `${err}\n${String(error)}` }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/** Runs `logpulse <args>` to its end; kills it and fails after `timeoutMs`. */
export async function runLogpulse(args: readonly string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  const running = spawnLogpulse(args, env);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  const result = await running.exited;
  clearTimeout(timer);
  if (result.signal === 'SIGKILL') {
    throw new Error(`logpulse ${args.join(' ')}: killed after ${timeoutMs} ms\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  return result;
}

/** `logpulse sql --format tsv <query>` on `dataDir`; fails unless it exits 0. Returns the rows without the header. */
export async function sqlRows(dataDir: string, query: string, extra: readonly string[] = []): Promise<string[][]> {
  const result = await runLogpulse(['sql', '--data-dir', dataDir, '--format', 'tsv', ...extra, ...(query === '' ? [] : [query])]);
  if (result.code !== 0) throw new Error(`logpulse sql ${query}: exit ${String(result.code)}: ${result.stderr}`);
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  return lines.slice(1).map((line) => line.split('\t'));
}

/** The single value of a one-row, one-column query. */
export async function sqlValue(dataDir: string, query: string): Promise<string> {
  const rows = await sqlRows(dataDir, query);
  const value = rows[0]?.[0];
  if (rows.length !== 1 || value === undefined) throw new Error(`logpulse sql ${query}: expected one value, got ${JSON.stringify(rows)}`);
  return value;
}

/** Polls `check` every 250 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last === undefined ? '' : `; last error: ${String(last)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the receiver's `/readyz` on `port` answers 200 (its sources are open). */
export async function waitReady(receiver: LogpulseChild, port: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'receiver ready',
    async () => {
      if (receiver.child.exitCode !== null) {
        throw new Error(`receiver exited with ${receiver.child.exitCode}: ${receiver.stderr()}`);
      }
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      return response.status === 200 ? true : undefined;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nstderr:\n${receiver.stderr()}`);
  });
}

/** A temp folder removed by `dispose()`. */
export async function tempDir(prefix: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `logpulse-e2e-${prefix}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

export { freeLoopbackPort };
