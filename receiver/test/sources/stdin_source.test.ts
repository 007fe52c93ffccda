import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdinSource } from '../../src/sources/stdin/stdin_source.js';
import { Collector, nginxLines, sleep } from './helpers.js';

describe('StdinSource', () => {
  it('hands on lines without offsets, in batches of at most maxBatchLines, the last one at the end of the stream', async () => {
    const stream = new PassThrough();
    const collector = new Collector();
    const source = new StdinSource({ stream, source: 'edge-2', maxBatchLines: 4, maxBatchAgeMs: 10_000, format: 'combined' }, collector.handle);
    await source.start();
    stream.write(nginxLines(0, 3));
    stream.write(nginxLines(3, 10).slice(0, -5));
    stream.end(nginxLines(3, 10).slice(-5).trimEnd());
    await source.done();
    expect(collector.batches.map((b) => b.lines.length)).toEqual([4, 4, 2]);
    expect(collector.texts()).toEqual(nginxLines(0, 10).trimEnd().split('\n'));
    expect(collector.lines().every((l) => l.offset === -1 && l.fileId === 'stdin:edge-2' && l.file === '')).toBe(true);
    expect(collector.batches[0]?.format).toBe('combined');
  });

  it('hands on a partial batch once its first line waited maxBatchAgeMs', async () => {
    const stream = new PassThrough();
    const collector = new Collector();
    const source = new StdinSource({ stream, source: 'edge-2', maxBatchAgeMs: 50 }, collector.handle);
    await source.start();
    stream.write('10.0.0.1 - - [18/Sep/2024:03:17:00 +0000] "GET /a HTTP/1.1" 200 1\r\n');
    await collector.waitForLines(1, 2000);
    expect(collector.texts()).toEqual(['10.0.0.1 - - [18/Sep/2024:03:17:00 +0000] "GET /a HTTP/1.1" 200 1']);
    await source.shutdown();
    await source.shutdown();
  });

  it('waits for the pipeline before reading on', async () => {
    const stream = new PassThrough();
    let release: () => void = () => {};
    const seen: number[] = [];
    const source = new StdinSource({ stream, source: 'edge-2', maxBatchLines: 1 }, async (batch) => {
      seen.push(batch.lines.length);
      await new Promise<void>((resolve) => (release = resolve));
    });
    await source.start();
    stream.write(nginxLines(0, 3));
    await sleep(100);
    expect(seen).toEqual([1]);
    release();
    await sleep(50);
    expect(seen).toEqual([1, 1]);
    release();
    await sleep(50);
    release();
    stream.end();
    await source.done();
    expect(seen).toEqual([1, 1, 1]);
  });
});
