import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LineBatch } from '../../src/model/line_batch.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { noopTelemetry } from '../../src/model/telemetry.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { FileSource } from '../../src/sources/file/file_source.js';
import { Collector, MemoryLogger, nginxLine, nginxLines, tempDir, testSource, waitFor } from './helpers.js';

/**
 * Many files, and files that come and go: checkpoints must hold for every file however many there
 * are, and what is kept per file must go with the file.
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

/** `count` two-line files, each with lines no other file has. */
function writeFiles(count: number): void {
  for (let n = 0; n < count; n++) writeFileSync(join(logs, `access-${n}.log`), `${nginxLine(2 * n)} f${n}\n${nginxLine(2 * n + 1)} f${n}\n`);
}

async function importOnce(): Promise<{ lines: number; ms: number }> {
  const collector = new Collector();
  const started = Date.now();
  const source = testSource({ paths: [logs], dataDir, once: true }, collector);
  await source.start();
  await source.done();
  await source.shutdown();
  return { lines: collector.lines().length, ms: Date.now() - started };
}

describe('FileSource with many files', () => {
  it('imports 10,000 files twice and reads nothing the second time', async () => {
    writeFiles(10_000);
    const first = await importOnce();
    const second = await importOnce();
    expect(first.lines).toBe(20_000);
    expect(second.lines).toBe(0);
    const checkpoints = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')) as { files: unknown[] };
    expect(checkpoints.files).toHaveLength(10_000);
    process.stdout.write(`10,000 files: first import ${first.ms} ms, second ${second.ms} ms (${os.cpus().length} cores)\n`);
  }, 120_000);

  it('keeps no per-file state after 2,000 files came and went', async () => {
    const sink = new ClickHouseSink({ dataDir: join(dir, 'unused-store') });
    // The real pipeline parses every batch (its parsers and keys are what must be released); the
    // sink is not under test and is never started: batches are acknowledged once parsed.
    const pipeline = new Pipeline({ sink, consumers: [], telemetry: noopTelemetry });
    let lines = 0;
    const handler = async (batch: LineBatch): Promise<void> => {
      lines += (await pipeline.parse(batch)).length;
      batch.ack();
    };
    const options = { paths: [logs], dataDir, source: 'web-1', pollIntervalMs: 40, commitIntervalMs: 50, rotateWaitMs: 50, logger: new MemoryLogger() };
    const source = new FileSource({ ...options, onFileForgotten: (id) => pipeline.release(id) }, handler);
    await source.start();
    const { rmSync } = await import('node:fs');
    for (let round = 0; round < 20; round++) {
      for (let n = 0; n < 100; n++) writeFileSync(join(logs, `short-${round}-${n}.log`), nginxLines(round * 200 + 2 * n, round * 200 + 2 * n + 2));
      await waitFor(() => lines >= (round + 1) * 200, 10_000, () => `round ${round}: ${lines} lines`);
      for (let n = 0; n < 100; n++) rmSync(join(logs, `short-${round}-${n}.log`));
    }
    const empty = { openFiles: 0, finishedFiles: 0, newIds: 0, ackQueues: 0, handedOn: 0, retiredIds: 0, copiesWatched: 0, gzipSizes: 0, gzipQueued: 0 };
    await waitFor(
      () => Object.entries(empty).every(([k, v]) => source.stats()[k] === v) && pipeline.stats().parsers === 0,
      10_000,
      () => `state left: ${JSON.stringify(source.stats())} ${JSON.stringify(pipeline.stats())}`,
    );
    expect(pipeline.stats()).toEqual({ fileKeys: 0, parsers: 0 });
    expect(lines).toBe(4_000);
    await source.shutdown();
  }, 120_000);
});
