import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, runLogpulse, spawnLogpulse, sqlRows, tempDir, waitFor, waitReady, type CommandResult, type LogpulseChild } from './logpulse_process.js';

/**
 * A watched nginx folder as it is on a server: access.log (scanner lines, junk requests, CLF lines,
 * cut-off fields) next to error.log. The error log is one skipped file, not a run of invalid lines.
 */

const FIXTURES = join(REPO_ROOT, 'receiver/test/fixtures/parsers');
// 14 of the access log's 16 lines are requests; one lacks its status, one its bytes.
const ACCESS_EVENTS = 14;
const RETENTION = ['--retention-days', '10000'];

const running: LogpulseChild[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
});

describe('a folder holding access.log and error.log', () => {
  let dir: { path: string; dispose: () => Promise<void> };
  let logs: string;
  let imported: CommandResult;

  beforeAll(async () => {
    dir = await tempDir('error-log-folder');
    logs = join(dir.path, 'nginx');
    mkdirSync(logs);
    copyFileSync(join(FIXTURES, 'nginx_scanners.log'), join(logs, 'access.log'));
    copyFileSync(join(FIXTURES, 'nginx_error.log'), join(logs, 'error.log'));
    const port = await freeLoopbackPort();
    imported = await runLogpulse(['run', '--once', '--no-tui', '--data-dir', join(dir.path, 'once'), '--metrics-port', String(port), ...RETENTION, logs]);
  });
  afterAll(async () => {
    await dir.dispose();
  });

  it('stores every access line, none of the error log, and says once that error.log was skipped', async () => {
    expect(imported.code, imported.stderr).toBe(0);
    const rows = await sqlRows(join(dir.path, 'once'), 'SELECT file, count() FROM logpulse.events FINAL GROUP BY file');
    expect(rows).toEqual([[join(logs, 'access.log'), String(ACCESS_EVENTS)]]);
    const notices = imported.stderr.split('\n').filter((line) => line.includes('file skipped'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(join(logs, 'error.log'));
    expect(notices[0]).toContain('nginx error log');
    expect(imported.stdout).toMatch(/^invalid +2 lines$/m);
  });

  it('counts error.log as one skipped file and none of its lines as invalid on /metrics', async () => {
    const port = await freeLoopbackPort();
    const receiver = spawnLogpulse(['run', '--no-tui', '--data-dir', join(dir.path, 'live'), '--metrics-port', String(port), '--source', 'web1', ...RETENTION, logs]);
    running.push(receiver);
    await waitReady(receiver, port);
    const metric = (text: string, name: string, label: string): string | undefined =>
      text.split('\n').find((line) => line.startsWith(`${name}{`) && line.includes(label))?.split(' ').at(-1);
    const text = await waitFor(
      'the access log counted on /metrics',
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return metric(body, 'logpulse_lines_total', 'outcome="parsed"') === String(ACCESS_EVENTS) ? body : undefined;
      },
      30_000,
    );
    expect(metric(text, 'logpulse_files_skipped_total', 'source="web1"')).toBe('1');
    expect(metric(text, 'logpulse_lines_total', 'outcome="invalid"')).toBe('2');
  });
});
