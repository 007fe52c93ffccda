import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { burstyLines, clfTimeMs, writeRotatedSet } from '../support/rotated_log.js';
import { Collector, tempDir, testSource } from './helpers.js';

/**
 * A logrotate'd folder is read each set oldest first: `.11.gz` .. `.2.gz`, `.1`, then the log
 * itself. A listing's order (`access.log`, `.1`, `.10.gz`, `.11.gz`, `.2.gz`, ...) handed the
 * newest lines on first.
 */
describe('FileSource reading a rotated folder', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const START_MS = Date.UTC(2026, 10, 22, 9, 0, 0);

  it('hands on the lines of a numbered, gzip and current set in time order in once mode', async () => {
    const lines = burstyLines(START_MS, 600);
    await writeRotatedSet(join(dir, 'logs'), 'access.log', lines, clfTimeMs);
    const collector = new Collector();
    const source = testSource({ paths: [join(dir, 'logs')], dataDir: join(dir, 'data'), once: true }, collector);
    await source.start();
    await source.done();
    expect(collector.texts()).toEqual(lines);
    await source.shutdown();
  });

  it('starts following a rotated folder with its oldest copies, one file after the other', async () => {
    const lines = burstyLines(START_MS, 600);
    const files = await writeRotatedSet(join(dir, 'logs'), 'access.log', lines, clfTimeMs);
    const collector = new Collector();
    const source = testSource({ paths: [join(dir, 'logs')], dataDir: join(dir, 'data'), once: false, startAt: 'beginning' }, collector);
    await source.start();
    await collector.waitForLines(lines.length);
    // Plain files take turns with each other while followed; the compressed copies come first, in order.
    const firstSeen = [...new Set(collector.batches.map((b) => b.file))];
    expect(firstSeen).toEqual(files);
    const gzLines = lines.slice(0, collector.lines().findIndex((l) => !l.file.endsWith('.gz')));
    expect(collector.texts().slice(0, gzLines.length)).toEqual(gzLines);
    expect(gzLines.length).toBeGreaterThan(lines.length / 2);
    await source.shutdown();
  });
});
