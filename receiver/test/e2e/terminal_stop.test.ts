import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, tempDir, waitFor } from './logpulse_process.js';

/**
 * Ctrl-C in the terminal view, as a person presses it: in a real terminal (Debian's tmux), the
 * receiver stops the way `--no-tui` does (flush, commit, remove query.port) and exits 0.
 */

const TMUX = '/usr/bin/tmux';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const LINE = (n: number): string => `203.0.113.${n % 250} - - [18/Sep/2024:03:17:${String(n % 60).padStart(2, '0')} +0000] "GET /pages/${n} HTTP/1.1" 200 ${512 + n} "-" "curl/8.5.0"\n`;

describe('the terminal view', () => {
  it('stops cleanly on Ctrl-C: exit 0, the checkpoint committed, query.port removed', async () => {
    if (!existsSync(TMUX)) throw new Error(`${TMUX} is missing: install the Debian package 'tmux' (apt-get install tmux)`);
    const dir = await tempDir('terminal-stop');
    cleanups.push(dir.dispose);
    const log = join(dir.path, 'access.log');
    const dataDir = join(dir.path, 'data');
    writeFileSync(log, Array.from({ length: 50 }, (_, n) => LINE(n)).join(''));
    const socket = `logpulse-e2e-stop-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]): string => execFileSync(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
    const port = await freeLoopbackPort();
    const command = ['env', '-u', 'CI', process.execPath, LOGPULSE_BIN, 'run', log, '--period', '1', '--data-dir', dataDir, '--metrics-port', String(port)]
      .map(shellQuote)
      .join(' ');
    // The exit code is written where the test can read it; `; sleep` keeps the pane for a look.
    const exitFile = join(dir.path, 'exit-code');
    tmux('new-session', '-d', '-s', 'stop', '-x', '160', '-y', '50', '-c', REPO_ROOT, `${command}; echo $? > ${shellQuote(exitFile)}; sleep 60`);
    cleanups.push(() => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    });
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'stop');
    await waitFor('the view drawn and the log read', () => (/hits\s+[\d,]+/.test(screen()) && existsSync(join(dataDir, 'query.port')) ? true : undefined), 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nscreen:\n${screen()}`);
    });
    // Lines read just before the key press: their batch is stored and committed by the stop.
    writeFileSync(log, Array.from({ length: 10 }, (_, n) => LINE(50 + n)).join(''), { flag: 'a' });
    await waitFor(
      'the appended lines read',
      async () => ((await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).match(/logpulse_lines_total\{[^}]*outcome="parsed"[^}]*\} 60\b/) ? true : undefined),
      10_000,
    );
    tmux('send-keys', '-t', 'stop', 'C-c');
    const code = await waitFor('the receiver to exit', () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : undefined), 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nscreen:\n${screen()}`);
    });
    expect(code).toBe('0');
    expect(existsSync(join(dataDir, 'query.port'))).toBe(false);
    const { files } = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')) as { files: Array<{ path: string; offset: number }> };
    expect(files.find((f) => f.path === log)?.offset).toBe(statSync(log).size);
    expect(readFileSync(join(dataDir, 'logpulse.log'), 'utf8')).toMatch(/"signal":"SIGINT","msg":"stopping"/);
  }, 60_000);
});
