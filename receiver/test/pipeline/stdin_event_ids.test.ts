import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { LineBatch } from '../../src/model/line_batch.js';
import { noopTelemetry } from '../../src/model/telemetry.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { StdinSource } from '../../src/sources/stdin/stdin_source.js';
import { nginxLine, sleep } from '../sources/helpers.js';

/**
 * Lines from stdin carry no file offset: their event ids must still be the same however the
 * stream fell into batches, and identical lines must stay two events however far apart they come.
 */

function pipeline(): Pipeline {
  // parse() never reaches the sink; a real one is given, never started.
  const sink = new ClickHouseSink({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'logpulse-stdin-ids-')) });
  return new Pipeline({ sink, consumers: [], telemetry: noopTelemetry, now: () => 1_000 });
}

/** Reads `chunks` through a real stdin source, with `pauseMs` between them; returns the ids in order. */
async function idsOf(chunks: string[], options: { maxBatchLines: number; pauseMs: number }): Promise<{ ids: bigint[]; batches: number }> {
  const stream = new PassThrough();
  const p = pipeline();
  const ids: bigint[] = [];
  let batches = 0;
  const source = new StdinSource({ stream, source: 'edge-2', maxBatchLines: options.maxBatchLines, maxBatchAgeMs: 20 }, async (batch: LineBatch) => {
    batches++;
    for (const event of await p.parse(batch)) ids.push(event.eventId);
  });
  await source.start();
  for (const [n, chunk] of chunks.entries()) {
    if (n > 0 && options.pauseMs > 0) await sleep(options.pauseMs);
    stream.write(chunk);
  }
  stream.end();
  await source.done();
  return { ids, batches };
}

describe('event ids of stdin lines', () => {
  it('do not depend on how the stream fell into batches', async () => {
    const lines = Array.from({ length: 12 }, (_, n) => `${nginxLine(n % 4)}\n`);
    const whole = await idsOf([lines.join('')], { maxBatchLines: 100, pauseMs: 0 });
    const small = await idsOf([lines.join('')], { maxBatchLines: 5, pauseMs: 0 });
    const trickled = await idsOf(lines, { maxBatchLines: 100, pauseMs: 40 });
    expect(whole.batches).toBe(1);
    expect(small.batches).toBe(3);
    expect(trickled.batches).toBeGreaterThan(3);
    expect(small.ids).toEqual(whole.ids);
    expect(trickled.ids).toEqual(whole.ids);
    // Lines repeat (every fourth is the same text): each is still an event of its own.
    expect(new Set(whole.ids).size).toBe(12);
  });

  it('keep identical lines that arrive 3 s apart two events', async () => {
    const line = `${nginxLine(7)}\n`;
    const { ids, batches } = await idsOf([line, line], { maxBatchLines: 100, pauseMs: 3_000 });
    expect(batches).toBe(2);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  }, 8_000);

  it('are the same when the same bytes are piped in again, so a repeated import is stored once', async () => {
    const text = [0, 1, 2, 1].map((n) => `${nginxLine(n)}\n`).join('');
    const first = await idsOf([text], { maxBatchLines: 2, pauseMs: 0 });
    const again = await idsOf([text], { maxBatchLines: 3, pauseMs: 0 });
    expect(again.ids).toEqual(first.ids);
  });
});
