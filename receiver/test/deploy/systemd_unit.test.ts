import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * deploy/logpulse-ship.service, checked by systemd's own tools (`systemd-analyze verify`, and
 * `security --offline` for the sandbox's exposure score) and read for what the agent needs: its own
 * user, restarts forever, a read-only system where only its state directory is writable, /var/log
 * left readable, and no token in the unit.
 */
const UNIT = fileURLToPath(new URL('../../../deploy/logpulse-ship.service', import.meta.url));
const run = promisify(execFile);

function directives(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) map.set(match[1]!, [...(map.get(match[1]!) ?? []), match[2]!]);
  }
  return map;
}

describe('the systemd unit of logpulse ship', () => {
  const text = readFileSync(UNIT, 'utf8');
  const unit = directives(text);
  const one = (key: string): string | undefined => unit.get(key)?.at(-1);

  it('passes systemd-analyze verify', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', UNIT]);
    expect(`${stdout}${stderr}`.trim()).toBe('');
  });

  it('rates as well sandboxed by systemd-analyze security', async () => {
    const { stdout } = await run('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT]);
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(2.5);
  });

  it('runs the agent as its own user, restarted always, writing only its checkpoints and reading /var/log', () => {
    expect(one('User')).toBe('logpulse-ship');
    expect(one('SupplementaryGroups')).toBe('adm');
    expect(one('Restart')).toBe('always');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('StateDirectory')).toBe('logpulse-ship');
    // Nothing hides or blocks /var/log: no InaccessiblePaths/TemporaryFileSystem over it, no ProtectSystem=full tricks.
    for (const key of ['InaccessiblePaths', 'TemporaryFileSystem', 'ReadWritePaths', 'DynamicUser']) expect(unit.has(key), key).toBe(false);
    const exec = one('ExecStart') ?? '';
    expect(exec).toMatch(/ ship --to \$\{LOGPULSE_URL\} --data-dir \/var\/lib\/logpulse-ship .* \/var\/log\//);
    expect(exec).not.toMatch(/--token/);
    expect(one('EnvironmentFile')).toBe('-/etc/logpulse/ship.env');
    expect((unit.get('Environment') ?? []).join(' ')).not.toMatch(/TOKEN/);
  });
});
