import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';

/**
 * compose/demo_rotating.sh, the stack's demo service, run as compose runs it (sh, the compiled
 * `logpulse demo`) with a rotation every second: the log is renamed, a new one started, and the
 * previous rotated file gzipped.
 */
const SCRIPT = join(REPO_ROOT, 'compose/demo_rotating.sh');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('the demo service', () => {
  let dir: string;
  let exitCode: number | null;

  beforeAll(async () => {
    if (!existsSync(LOGPULSE_BIN)) throw new Error(`${LOGPULSE_BIN} is missing: npm run build`);
    dir = await mkdtemp(join(tmpdir(), 'logpulse-demo-rotation-'));
    const child = spawn('/bin/sh', [SCRIPT], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DEMO_LOG: join(dir, 'access.log'), DEMO_ROTATE_SECONDS: '1', LOGPULSE: `${process.execPath} ${LOGPULSE_BIN}` },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Node's start-up takes a good part of each period: wait for three rotations.
    for (let waited = 0; waited < 20_000 && !existsSync(join(dir, 'access.log.2.gz')); waited += 200) await sleep(200);
    await sleep(300);
    child.kill('SIGTERM');
    exitCode = await exited;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renames the log, starts a new one and gzips the previous rotated file', async () => {
    expect((await readdir(dir)).sort()).toEqual(['access.log', 'access.log.1', 'access.log.2.gz']);
    const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
    const rotated = lines(gunzipSync(await readFile(join(dir, 'access.log.2.gz'))).toString('utf8'));
    const renamed = lines(await readFile(join(dir, 'access.log.1'), 'utf8'));
    expect(rotated.length).toBeGreaterThan(0);
    expect(renamed.length).toBeGreaterThan(0);
    for (const line of [...rotated, ...renamed]) expect(line).toMatch(/^\S+ - \S+ \[[^\]]+\] "/);
    // Each period has its own seed, so each file starts with other bytes: another fingerprint.
    expect(rotated[0]).not.toBe(renamed[0]);
  });

  it('stops cleanly on SIGTERM, as `docker compose stop` sends it', () => {
    expect(exitCode).toBe(0);
  });
});
