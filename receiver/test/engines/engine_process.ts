import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What every engine the tests start has in common (Prometheus, Alertmanager, clickhouse-server,
 * the receiver itself): a binary that must be installed, a free loopback port, a child process
 * whose output goes to a log file, a readiness URL to poll, and a stop that always ends it.
 */

/** The absolute path of `bin`, or an error naming the Debian package that provides it. */
export function requireBinary(bin: string, debianPackage: string): string {
  try {
    accessSync(bin, constants.X_OK);
    return bin;
  } catch (cause) {
    throw new Error(`${bin} is missing: install the Debian package '${debianPackage}' (apt-get install ${debianPackage})`, {
      cause,
    });
  }
}

/** A TCP port free on 127.0.0.1 at the time of the call. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface EngineProcessOptions {
  /** Working directory of the child. @default the test process's */
  cwd?: string;
  /** Environment of the child. @default the test process's */
  env?: NodeJS.ProcessEnv;
}

/** A child process whose output goes to `logFile`, stopped with SIGTERM then SIGKILL. */
export class EngineProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    bin: string,
    args: string[],
    readonly logFile: string,
    options: EngineProcessOptions = {},
  ) {
    const fd = openSync(logFile, 'a');
    this.child = spawn(bin, args, { stdio: ['ignore', fd, fd], cwd: options.cwd, env: options.env });
    closeSync(fd);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.child.once('error', () => resolve(null));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Like `waitReady`, but a process that never gets ready is stopped and its folder `dir` removed. */
  async waitReadyOrDiscard(url: string, dir: string, timeoutMs = 30_000): Promise<void> {
    try {
      await this.waitReady(url, timeoutMs);
    } catch (error) {
      await this.stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Polls `url` until it answers 200; fails with the log's tail if the process exits or `timeoutMs` passes. */
  async waitReady(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) {
        throw new Error(`${this.name} exited with code ${String(this.exitCode)} before it was ready:\n${this.logTail()}`);
      }
      try {
        const response = await fetch(url);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} was not ready at ${url} within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /**
   * Sends `signal` (SIGKILL for a crash) and waits for the exit; SIGKILL after 10 s if it is still
   * running. Idempotent.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (this.exitCode !== undefined || this.child.pid === undefined) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
