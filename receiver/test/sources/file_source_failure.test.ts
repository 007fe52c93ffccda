import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LineBatch } from '../../src/model/line_batch.js';
import { FileSource } from '../../src/sources/file/file_source.js';
import { expectEachOnce, MemoryLogger, nginxLines, tempDir, waitFor } from './helpers.js';

/**
 * A batch the pipeline refuses (its handler throws: a parser bug, a sink that gave up) must not
 * freeze the file's checkpoint: the file is read again from that batch's first line, after a
 * backoff, and the checkpoint reaches the end once everything is stored.
 */

let dir: string;
let cleanup: () => void;
let logs: string;
let dataDir: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  logs = join(dir, 'logs');
  dataDir = join(dir, 'data');
  mkdirSync(logs);
});
afterEach(() => cleanup());

/** A pipeline whose 3rd batch fails twice before it is taken; every batch taken is acknowledged. */
function failingTwice(): { handle: (batch: LineBatch) => Promise<void>; stored: string[]; failures: number } {
  const state = { stored: [] as string[], failures: 0, handle: async (_batch: LineBatch) => {} };
  let calls = 0;
  state.handle = async (batch: LineBatch) => {
    calls++;
    if (calls >= 3 && state.failures < 2) {
      state.failures++;
      throw new Error('insert refused');
    }
    state.stored.push(...batch.lines.map((line) => line.text));
    batch.ack();
  };
  return state;
}

function checkpointOffset(): number | undefined {
  const { files } = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')) as { files: Array<{ path: string; offset: number }> };
  return files.find((f) => f.path === join(logs, 'access.log'))?.offset;
}

const options = { source: 'web-1', pollIntervalMs: 40, commitIntervalMs: 50, maxBatchLines: 10, retryInitialMs: 50, logger: new MemoryLogger() };

describe('FileSource when a batch fails', () => {
  it('reads a file again from the failed batch in once mode, and its checkpoint reaches the end', async () => {
    const text = nginxLines(0, 95);
    writeFileSync(join(logs, 'access.log'), text);
    const pipeline = failingTwice();
    const source = new FileSource({ ...options, paths: [join(logs, 'access.log')], dataDir, once: true }, pipeline.handle);
    await source.start();
    await source.done();
    await source.shutdown();
    expect(pipeline.failures).toBe(2);
    expectEachOnce(pipeline.stored, text.trimEnd().split('\n'));
    expect(checkpointOffset()).toBe(statSync(join(logs, 'access.log')).size);
  });

  it('reads a followed file again from the failed batch, and its checkpoint reaches the end', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 40));
    const pipeline = failingTwice();
    const source = new FileSource({ ...options, paths: [logs], dataDir }, pipeline.handle);
    await source.start();
    const { appendFileSync } = await import('node:fs');
    appendFileSync(path, nginxLines(40, 70));
    await waitFor(() => pipeline.stored.length >= 70, 5000, () => `${pipeline.stored.length} lines stored`);
    await source.shutdown();
    expect(pipeline.failures).toBe(2);
    expectEachOnce(pipeline.stored, nginxLines(0, 70).trimEnd().split('\n'));
    expect(checkpointOffset()).toBe(statSync(path).size);
  });
});
