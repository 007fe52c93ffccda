import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyRange, rowIdentity } from '../../src/sinks/body_rows.js';
import { DeadLetterFile, type DeadLetter } from '../../src/sinks/dead_letter.js';
import { EventBatch } from '../../src/sinks/event_batch.js';
import { RowBinaryEventWriter } from '../../src/sinks/encoders/row_binary_encoder.js';
import { TsvEventWriter } from '../../src/sinks/encoders/row_encoder.js';
import { WriteQueue } from '../../src/sinks/write_queue.js';
import { accessEvent, tempDir } from './sink_fixtures.js';

function letter(offset: number, raw: string): DeadLetter {
  return {
    at: '2024-03-06T08:00:00.000Z', table: 'logpulse.events', reason: 'refused by ClickHouse', code: 469, message: 'Constraint known_status',
    event_id: '1', ts: '2024-03-06 08:00:00.000', source: 'web-9', file: '/var/log/nginx/access.log', offset, raw,
  };
}

describe('dead letters', () => {
  it('appends one JSON object a line and keeps the folder under about twice the cap', async () => {
    const dir = join(tempDir('dead-letter'), 'dead_letter');
    const file = new DeadLetterFile(dir, 1_000);
    for (let i = 0; i < 30; i++) await file.write([letter(i, `line ${i} ${'x'.repeat(100)}`)]);
    expect(readdirSync(dir).sort()).toEqual(['events.1.jsonl', 'events.jsonl']);
    const current = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    const previous = readFileSync(join(dir, 'events.1.jsonl'), 'utf8');
    expect(current.length).toBeLessThanOrEqual(1_000);
    expect(previous.length).toBeLessThanOrEqual(1_000);
    const offsets = [...previous.trim().split('\n'), ...current.trim().split('\n')].map((line) => (JSON.parse(line) as DeadLetter).offset);
    // The newest letters, in order, none cut in half.
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => 30 - offsets.length + i));
  });

  it('leaves no half-written line when the disk refuses, and writes the letters on the next try', async () => {
    const dir = join(tempDir('dead-letter'), 'dead_letter');
    mkdirSync(dir);
    // /dev/full refuses every write with ENOSPC.
    symlinkSync('/dev/full', join(dir, 'events.jsonl'));
    const file = new DeadLetterFile(dir, 1_000_000);
    await expect(file.write([letter(1, 'a')])).rejects.toThrow(/ENOSPC/);
    rmSync(join(dir, 'events.jsonl'));
    await file.write([letter(1, 'a')]);
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe(`${JSON.stringify(letter(1, 'a'))}\n`);
  });

  it('finds each row of a TabSeparated and a RowBinary body again, with its origin and raw line', async () => {
    const events = [
      accessEvent(0, { raw: 'tab\there, new\nline, back\\slash' }),
      accessEvent(100, { raw: 'é 🚀 '.repeat(50), file: 'C:\\logs\\u_ex240306.log', source: 'iis\t1' }),
      accessEvent(200, { ts: Date.UTC(1950, 0, 1) }),
    ];
    for (const writer of [new TsvEventWriter(64), new RowBinaryEventWriter(64)]) {
      const batch = new EventBatch(0, writer);
      const queue = new WriteQueue(() => {});
      expect(batch.add(events, 0, events.length, queue.push(events.length, () => {}))).toBe(3);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const row = await bodyRange(batch.body(), batch.rowEnds, i, i + 1);
        expect(rowIdentity(row.format, 'bytes' in row ? row.bytes : Buffer.alloc(0))).toEqual({
          event_id: String(e.eventId), source: e.source, file: e.file, offset: e.offset, raw: e.raw,
          ts: row.format === 'TabSeparated' ? new Date(e.ts).toISOString().replace('T', ' ').slice(0, 23) : String(e.ts),
        });
      }
    }
  });

  it('seals a batch at the byte cap, after the row that reaches it', () => {
    const events = Array.from({ length: 10 }, (_, i) => accessEvent(i * 100));
    const batch = new EventBatch(0, new TsvEventWriter(64));
    const queue = new WriteQueue(() => {});
    const next = batch.add(events, 0, events.length, queue.push(events.length, () => {}), 500);
    expect(next).toBeGreaterThan(1);
    expect(next).toBeLessThan(10);
    expect(batch.rows).toBe(next);
    expect(batch.bytes).toBeGreaterThanOrEqual(500);
    expect(batch.rowEnds[next - 2]).toBeLessThan(500);
  });

  it('tells every write not yet stored when the sink gives up, once', () => {
    const heard: string[] = [];
    const queue = new WriteQueue(() => {});
    const first = queue.push(2, () => heard.push('stored 1'), (error) => heard.push(`failed 1: ${error.message}`));
    queue.push(1, () => heard.push('stored 2'), (error) => heard.push(`failed 2: ${error.message}`));
    queue.acknowledge([{ write: first, rows: 2 }]);
    queue.fail(new Error('disk full'));
    queue.fail(new Error('again'));
    expect(heard).toEqual(['stored 1', 'failed 2: disk full']);
  });
});
