import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';
import { runLogpulse, sqlValue, tempDir, type CommandResult } from './logpulse_process.js';

/**
 * Paths named on the command line that cannot be read as log files: `--once` says which and why,
 * in one line, and fails; a named pipe is read as a stream, like stdin.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A combined line of this minute: older events fall out of the table's retention. */
function clfNow(): string {
  const d = new Date();
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
const LINE = `203.0.113.9 - - [${clfNow()}] "GET /pages/1 HTTP/1.1" 200 512 "-" "curl/8.5.0"\n`;
const NOBODY_UID = 65534;

/** `logpulse <args>` as the unprivileged user nobody (setpriv, util-linux): root reads every file. */
function runAsNobody(args: readonly string[]): Promise<CommandResult> {
  const child = spawn('/usr/bin/setpriv', ['--reuid', String(NOBODY_UID), '--regid', String(NOBODY_UID), '--clear-groups', process.execPath, LOGPULSE_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: '/tmp' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function expectOneLine(stderr: string, line: string): void {
  expect(stderr.split('\n').filter((l) => l.includes('cannot read'))).toEqual([line]);
  expect(stderr).not.toMatch(/\n\s+at .+:\d+/);
}

describe('unreadable input in --once', () => {
  it('exits non-zero with one line naming the path and the reason when permission is denied', async () => {
    // Tests run as root, which reads every file: the receiver runs as nobody, the file is root's, 0600.
    if (userInfo().uid !== 0) throw new Error('this test makes a file unreadable for nobody: it needs to run as root (as CI does)');
    const dir = await tempDir('unreadable');
    cleanups.push(dir.dispose);
    chmodSync(dir.path, 0o755);
    const log = join(dir.path, 'access.log');
    writeFileSync(log, LINE, { mode: 0o600 });
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    chownSync(dataDir, NOBODY_UID, NOBODY_UID);
    const result = await runAsNobody(['run', '--once', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, log]);
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, `logpulse: cannot read ${log}: permission denied (EACCES)`);
  }, 60_000);

  it('refuses a character device and names a symlink loop as such', async () => {
    const dir = await tempDir('devices');
    cleanups.push(dir.dispose);
    const dataDir = join(dir.path, 'data');
    const zero = await runLogpulse(['run', '--once', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, '/dev/zero']);
    expect(zero.code).not.toBe(0);
    expectOneLine(zero.stderr, 'logpulse: cannot read /dev/zero: a character device, not a log file');
    const loop = join(dir.path, 'loop.log');
    symlinkSync(loop, loop);
    const looped = await runLogpulse(['run', '--once', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, loop]);
    expect(looped.code).not.toBe(0);
    expectOneLine(looped.stderr, `logpulse: cannot read ${loop}: too many levels of symbolic links (ELOOP)`);
  }, 60_000);

  it('reads a named pipe to its end like stdin', async () => {
    const dir = await tempDir('fifo');
    cleanups.push(dir.dispose);
    const fifo = join(dir.path, 'access.fifo');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const dataDir = join(dir.path, 'data');
    // The writer opens the pipe once the receiver does, writes three lines (two alike) and closes it.
    const writer = spawn('/bin/sh', ['-c', `printf '%s' "$0$0$1" > ${fifo}`, LINE, LINE.replace('/pages/1', '/pages/2')], { stdio: 'ignore' });
    const result = await runLogpulse(['run', '--once', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, fifo]);
    writer.kill();
    expect(result.code, result.stderr).toBe(0);
    expect(await sqlValue(dataDir, 'SELECT count() FROM logpulse.events FINAL')).toBe('3');
  }, 60_000);
});
