import { describe, expect, it } from 'vitest';
import { FrameDecoder, FramingError } from '../../../src/sources/syslog/index.js';
import type { FrameEvent } from '../../../src/sources/syslog/index.js';

/** Feeds `chunks` in order and returns the frames as text, `!` for a frame found too large. */
function decode(chunks: readonly string[], max = 64): { frames: string[]; decoder: FrameDecoder } {
  const decoder = new FrameDecoder(max);
  const out: FrameEvent[] = [];
  for (const chunk of chunks) decoder.push(Buffer.from(chunk, 'latin1'), out);
  return { frames: out.map((e) => (e.kind === 'frame' ? e.bytes.toString('latin1') : '!')), decoder };
}

// The bytes rsyslog 8.2302's omfwd wrote with TCP_Framing="octet-counted" (two frames in one segment).
const RSYSLOG_COUNTED = '119 <190>Dec  2 06:32:05 web-rs nginx: 127.0.0.1 - - [02/Dec/2026:06:30:45 +0000] "GET /x HTTP/1.1" 200 3 "-" "curl/7.88.1"'
  + '119 <190>Dec  2 06:32:05 web-rs nginx: 127.0.0.1 - - [02/Dec/2026:06:30:46 +0000] "GET /y HTTP/1.1" 200 3 "-" "curl/7.88.1"';

describe('FrameDecoder', () => {
  it('reads octet-counted frames as rsyslog writes them, however the segments fall', () => {
    const whole = decode([RSYSLOG_COUNTED], 1024);
    expect(whole.decoder.mode).toBe('octet-counted');
    expect(whole.frames.map((f) => f.length)).toEqual([119, 119]);
    const bytewise = decode([...RSYSLOG_COUNTED], 1024);
    expect(bytewise.frames).toEqual(whole.frames);
    expect(bytewise.decoder.partial).toBe(false);
  });

  it('reads LF frames, dropping CR and blank lines, and holds an unfinished one', () => {
    const { frames, decoder } = decode(['<13>a\r\n\n<13>b', '\n<13>c']);
    expect(decoder.mode).toBe('lf');
    expect(frames).toEqual(['<13>a\r', '<13>b']);
    expect(decoder.partial).toBe(true);
  });

  it('skips an LF frame past the limit once, in step with the next one', () => {
    const { frames, decoder } = decode([`<13>${'x'.repeat(70)}`, 'y'.repeat(100), '\n<13>ok\n'], 64);
    expect(frames).toEqual(['!', '<13>ok']);
    expect(decoder.partial).toBe(false);
  });

  it('skips an octet-counted frame declared past the limit by its count', () => {
    const big = `<13>${'x'.repeat(96)}`;
    expect(decode([`100 ${big}6 <13>ok`], 64).frames).toEqual(['!', '<13>ok']);
  });

  it('tolerates an LF after each counted frame', () => {
    expect(decode(['6 <13>ok\n6 <13>no\n']).frames).toEqual(['<13>ok', '<13>no']);
  });

  it('throws a FramingError on a count that cannot be read, after the frames before it', () => {
    const decoder = new FrameDecoder(64);
    const out: FrameEvent[] = [];
    // A count one short leaves `k` where the next count should start.
    expect(() => decoder.push(Buffer.from('5 <13>ok6 <13>ok'), out)).toThrow(FramingError);
    expect(out).toEqual([{ kind: 'frame', bytes: Buffer.from('<13>o') }]);
    expect(() => new FrameDecoder(64).push(Buffer.from('1234567890 x'), [])).toThrow('octet count longer than 9 digits');
    expect(() => new FrameDecoder(64).push(Buffer.from('0 x'), [])).toThrow('octet count is 0');
  });
});
