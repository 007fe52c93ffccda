import { appendFileSync, copyFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/sources/file/file_source.js';
import type { LineBatch } from '../../src/model/line_batch.js';
import { Collector, expectEachOnce, MemoryLogger, nginxLines, tempDir } from './helpers.js';

function lines(from: number, to: number): string[] {
  return nginxLines(from, to).trimEnd().split('\n');
}

/**
 * A copytruncate that lands while a file is being read, between two reads of the same pass (in
 * production: while a batch waits for the sink, as it does after a restart with a backlog). The
 * next read of the open descriptor then finds new content at the old position: read under the old
 * id, it is stored twice (old id mid-file, new id from 0), the copy's unread rest is never read,
 * and the first "line" starts mid-line. Here the rotation is done from inside the handler of the
 * first batch, so it lands at that moment on every run.
 */
describe('FileSource when a copytruncate lands between two reads of a file', () => {
  let dir: string;
  let cleanup: () => void;
  let logs: string;
  let dataDir: string;
  let source: FileSource | undefined;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    logs = join(dir, 'logs');
    dataDir = join(dir, 'data');
    mkdirSync(logs);
  });
  afterEach(async () => {
    await source?.shutdown();
    source = undefined;
    cleanup();
  });

  it('reads the rest of the old content from the copy and the new content once, from its start', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 100));
    const collector = new Collector();
    let rotated = false;
    const handle = async (batch: LineBatch): Promise<void> => {
      if (!rotated) {
        rotated = true;
        // logrotate copytruncate, then the server goes on writing: more new bytes than were read.
        copyFileSync(path, join(logs, 'access.log.1'));
        truncateSync(path, 0);
        appendFileSync(path, nginxLines(1000, 1200));
      }
      await collector.handle(batch);
    };
    source = new FileSource(
      { paths: [logs], dataDir, source: 'web-1', pollIntervalMs: 40, commitIntervalMs: 50, readBufferBytes: 4096, maxBatchLines: 10, logger: new MemoryLogger() },
      handle,
    );
    await source.start();
    // On a failure, fewer lines arrive: the comparison below says which.
    await collector.waitForLines(300, 5000).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectEachOnce(collector.texts(), [...lines(0, 100), ...lines(1000, 1200)]);
    const firstNew = collector.lines().find((l) => l.text === lines(1000, 1001)[0]);
    expect(firstNew?.offset).toBe(0);
    expect(firstNew?.fileId).not.toBe(collector.lines()[0]?.fileId);
  });
});
