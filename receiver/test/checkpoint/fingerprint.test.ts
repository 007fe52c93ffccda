import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CheckpointEntry } from '../../src/checkpoint/checkpoint_format.js';
import { findEntry } from '../../src/checkpoint/file_matcher.js';
import { FINGERPRINT_BYTES, isIdentifiable, newFileId, startsWith } from '../../src/checkpoint/fingerprint.js';
import { readGzipHead } from '../../src/sources/file/gzip_reader.js';

const HEADER = '"remotehost","rfc931","authuser","date","request","status","bytes"\n';

function entry(fileId: string, head: string, patch: Partial<CheckpointEntry> = {}): CheckpointEntry {
  return {
    fileId,
    fingerprint: Buffer.from(head).toString('base64'),
    offset: 0,
    path: `/logs/${fileId}.csv`,
    compressed: false,
    finished: false,
    lastSeenMs: 0,
    ...patch,
  };
}

describe('fingerprints', () => {
  it('treats a file whose first bytes start with a known fingerprint as the same file grown', () => {
    expect(startsWith(Buffer.from(`${HEADER}"10.0.0.1"`), Buffer.from(HEADER))).toBe(true);
    expect(startsWith(Buffer.from(HEADER.slice(0, 10)), Buffer.from(HEADER))).toBe(false);
    expect(startsWith(Buffer.from('anything'), Buffer.alloc(0))).toBe(false);
  });

  it('identifies a file only once its first line is complete, its head is full, or it ended', () => {
    expect(isIdentifiable(Buffer.alloc(0), true)).toBe(false);
    expect(isIdentifiable(Buffer.from('10.0.0.1 - - [18/Sep'), false)).toBe(false);
    expect(isIdentifiable(Buffer.from('10.0.0.1 - - [18/Sep'), true)).toBe(true);
    expect(isIdentifiable(Buffer.from(HEADER), false)).toBe(true);
    expect(isIdentifiable(Buffer.alloc(1000, 0x41), false)).toBe(true);
  });

  it('gives a second file with the same first bytes a different id', () => {
    const head = Buffer.from(HEADER);
    const first = newFileId(head, () => false);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    const second = newFileId(head, (id) => id === first);
    expect(second).toBe(`${first}-2`);
    expect(newFileId(head, () => false, 'gz-')).toBe(`gz-${first}`);
  });

  it('prefers the longest matching fingerprint, then the same path', () => {
    const entries = [
      entry('short', HEADER),
      entry('long-a', `${HEADER}"10.0.0.1","-"`, { path: '/logs/a.csv' }),
      entry('long-b', `${HEADER}"10.0.0.1","-"`, { path: '/logs/b.csv' }),
      entry('other', `${HEADER}"10.9.9.9"`),
    ];
    const head = Buffer.from(`${HEADER}"10.0.0.1","-","-",1726629419\n`);
    expect(findEntry(entries, { head, compressed: false, size: 500, path: '/logs/b.csv' })?.fileId).toBe('long-b');
    expect(findEntry(entries, { head, compressed: false, size: 500, path: '/logs/x.csv' })?.fileId).toBe('long-a');
    const exclude = (id: string) => id.startsWith('long');
    expect(findEntry(entries, { head, compressed: false, size: 500, path: '/logs/b.csv', exclude })?.fileId).toBe('short');
  });

  it('does not match a known file acknowledged beyond the size of the candidate (it was truncated)', () => {
    const entries = [entry('a', HEADER, { offset: 4000 })];
    const head = Buffer.from(`${HEADER}"10.0.0.1"\n`);
    expect(findEntry(entries, { head, compressed: false, size: 3000, path: '/logs/a.csv' })).toBeUndefined();
    expect(findEntry(entries, { head, compressed: false, size: 5000, path: '/logs/a.csv' })?.fileId).toBe('a');
    expect(findEntry(entries, { head, compressed: true, size: 5000, path: '/logs/a.csv' })).toBeUndefined();
  });

  it('reads the first bytes of the content of an open gzip file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logpulse-gzhead-'));
    try {
      const content = HEADER.repeat(40);
      writeFileSync(join(dir, 'access.log.1.gz'), gzipSync(content));
      const fh = await open(join(dir, 'access.log.1.gz'), 'r');
      try {
        expect((await readGzipHead(fh)).toString()).toBe(content.slice(0, FINGERPRINT_BYTES));
        // Again from the start: the handle's position is not moved.
        expect((await readGzipHead(fh)).toString()).toBe(content.slice(0, FINGERPRINT_BYTES));
      } finally {
        await fh.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
