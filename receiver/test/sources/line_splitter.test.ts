import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawLine } from '../../src/model/line_batch.js';
import { LineSplitter } from '../../src/sources/line_splitter.js';
import { FIXTURES } from './helpers.js';

function split(data: Buffer, maxLineBytes = 65536, chunkBytes = data.length): { lines: RawLine[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(0, maxLineBytes);
  const lines: RawLine[] = [];
  for (let i = 0; i < data.length; i += chunkBytes) splitter.push(data.subarray(i, i + chunkBytes), lines);
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('gives each line the byte offset of its first byte, also after multi-byte UTF-8', () => {
    const data = readFileSync(join(FIXTURES, 'access.log'));
    const { lines, splitter } = split(data);
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const end = data.indexOf(0x0a, line.offset);
      expect(data.toString('utf8', line.offset, end)).toBe(line.text);
    }
    expect(lines[5]?.text).toContain('Wget/1.21.4');
    expect(splitter.lineEnd).toBe(data.length);
  });

  it('splits the same way whatever the chunk boundaries', () => {
    const data = readFileSync(join(FIXTURES, 'access.log'));
    const whole = split(data).lines;
    for (const chunk of [1, 2, 3, 7, 100]) expect(split(data, 65536, chunk).lines).toEqual(whole);
  });

  it('drops the carriage return of CRLF lines and keeps an unterminated last line waiting', () => {
    const data = readFileSync(join(FIXTURES, 'iis_crlf_unterminated.log'));
    const { lines, splitter } = split(data);
    expect(lines.map((l) => l.text.endsWith('\r'))).toEqual([false, false]);
    expect(lines[1]?.offset).toBe(data.indexOf(0x0a) + 1);
    expect(splitter.lineEnd).toBe(data.lastIndexOf(0x0a) + 1);
    expect(splitter.pendingBytes).toBe(data.length - splitter.lineEnd);
    const last = splitter.flushPartial();
    expect(last).toEqual({ offset: data.lastIndexOf(0x0a) + 1, text: data.toString('utf8', data.lastIndexOf(0x0a) + 1) });
    expect(splitter.lineEnd).toBe(data.length);
  });

  it('cuts an over-long line at max bytes on a character boundary and skips the rest of it', () => {
    const long = `${'é'.repeat(40)}tail`; // 84 bytes
    const data = Buffer.from(`short\n${long}\r\nnext\n`);
    for (const chunk of [1, 5, data.length]) {
      const { lines } = split(data, 15, chunk);
      expect(lines).toEqual([
        { offset: 0, text: 'short' },
        { offset: 6, text: 'é'.repeat(7), truncated: true },
        { offset: 6 + Buffer.byteLength(long) + 2, text: 'next' },
      ]);
    }
  });

  it('does not count the carriage return against the line size', () => {
    const { lines } = split(Buffer.from('abcd\r\nabcde\r\n'), 4);
    expect(lines).toEqual([
      { offset: 0, text: 'abcd' },
      { offset: 6, text: 'abcd', truncated: true },
    ]);
  });

  it('keeps two byte-identical lines as two lines at different offsets', () => {
    const line = '10.0.4.7 - james [18/Sep/2024:03:16:58 +0000] "POST /api/v1/orders HTTP/1.1" 201 312';
    const { lines } = split(Buffer.from(`${line}\n${line}\n`));
    expect(lines).toEqual([
      { offset: 0, text: line },
      { offset: line.length + 1, text: line },
    ]);
  });

  it('gives empty lines their own offsets', () => {
    const { lines } = split(Buffer.from('a\n\n\nb\n'));
    expect(lines.map((l) => [l.offset, l.text])).toEqual([[0, 'a'], [2, ''], [3, ''], [4, 'b']]);
  });
});
