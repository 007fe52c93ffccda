import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, tempDir, waitFor } from './logpulse_process.js';

/**
 * `logpulse run --demo` as a person sees it: in a real terminal (Debian's tmux, 160x50), the
 * demo generator writes a log, the receiver follows it and draws its stats in place.
 */

const TMUX = '/usr/bin/tmux';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

describe('the terminal demo', () => {
  it('shows a stats block with hits and req/s within seconds, and no error', async () => {
    if (!existsSync(TMUX)) throw new Error(`${TMUX} is missing: install the Debian package 'tmux' (apt-get install tmux)`);
    const dir = await tempDir('terminal-demo');
    cleanups.push(dir.dispose);
    // A server of its own (-L): the test never touches another tmux session.
    const socket = `logpulse-e2e-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]): string => execFileSync(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
    const port = await freeLoopbackPort();
    // `env -u CI`: ink draws nothing but the last frame when it believes it runs in CI, and the
    // suite itself runs with CI=true there; a person's terminal has no CI variable.
    const command = ['env', '-u', 'CI', process.execPath, LOGPULSE_BIN, 'run', '--demo', '--period', '2', '--data-dir', join(dir.path, 'data'), '--metrics-port', String(port)]
      .map(shellQuote)
      .join(' ');
    // `; sleep` keeps the pane open if the receiver exits, so its last words stay on screen.
    tmux('new-session', '-d', '-s', 'demo', '-x', '160', '-y', '50', '-c', REPO_ROOT, `${command}; echo "exited with $?"; sleep 60`);
    cleanups.push(() => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    });

    const screen = await waitFor(
      'a stats block on screen',
      () => {
        const text = tmux('capture-pane', '-p', '-t', 'demo');
        return /hits\s+[\d,]+\s+[\d.]+ req\/s/.test(text) ? text : undefined;
      },
      15_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nscreen:\n${tmux('capture-pane', '-p', '-t', 'demo')}`);
    });
    expect(screen).toMatch(/\bsections\b.*\//);
    expect(screen).not.toMatch(/error|exception|exited with|ENOENT|EADDRINUSE|\bat .+\.js:\d+/i);
    // Still running: the view goes on redrawing.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  }, 40_000);
});
