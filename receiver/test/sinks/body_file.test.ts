import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodyFile } from '../../src/clickhouse/body_file.js';
import { tempDir } from './sink_fixtures.js';

/** Chunks as a row writer hands them over: one buffer, reused (overwritten) after each call. */
function appendChunks(file: BodyFile, texts: readonly string[]): void {
  const reused = Buffer.alloc(64);
  for (const text of texts) {
    const n = reused.write(text);
    file.append(reused.subarray(0, n));
    reused.fill(0x21);
  }
}

describe('BodyFile', () => {
  it('writes the chunks in order as they come, and removes the file', async () => {
    const path = join(tempDir('body-file'), 'a.bin');
    const file = new BodyFile(path);
    appendChunks(file, ['one,', 'two,', 'three']);
    expect(readFileSync(path, 'utf8')).toBe('one,two,three');
    await file.complete();
    expect(readFileSync(path, 'utf8')).toBe('one,two,three');
    await file.remove();
    expect(existsSync(path)).toBe(false);
  });

  it('keeps the chunks a missing folder refused and writes them once the folder is back', async () => {
    const dir = join(tempDir('body-file'), 'inserts');
    const file = new BodyFile(join(dir, 'b.bin'));
    appendChunks(file, ['alpha,', 'beta,', 'gamma']);
    await expect(file.complete()).rejects.toThrow(/ENOENT/);
    mkdirSync(dir);
    await file.complete();
    expect(readFileSync(join(dir, 'b.bin'), 'utf8')).toBe('alpha,beta,gamma');
  });

  it('keeps what a full disk refused and writes it after the bytes the disk took', async () => {
    // /dev/full refuses every write with ENOSPC: the body's path points there while the disk is "full".
    const dir = tempDir('body-file');
    const path = join(dir, 'c.bin');
    symlinkSync('/dev/full', path);
    const file = new BodyFile(path);
    appendChunks(file, ['first,', 'second']);
    await expect(file.complete()).rejects.toThrow();
    rmSync(path);
    await file.complete();
    expect(readFileSync(path, 'utf8')).toBe('first,second');
  });
});
