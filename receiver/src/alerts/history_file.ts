import type { FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import type { AlertTransition } from './alert_transition.js';

/** One line of `alerts.jsonl`: an `AlertTransition` as JSON. */
const transitionLine = z.object({
  alert: z.string(),
  // Lines written before silence alerts existed have no source.
  source: z.string().optional(),
  state: z.enum(['firing', 'resolved']),
  value: z.number(),
  at: z.number(),
  thresholdRps: z.number(),
  windowSeconds: z.number(),
  message: z.string(),
});

export function transitionToLine(transition: AlertTransition): string {
  const { alert, source, state, value, at, thresholdRps, windowSeconds, message } = transition;
  // JSON.stringify leaves `source` out when it is undefined (HighTraffic).
  return `${JSON.stringify({ alert, source, state, value, at, thresholdRps, windowSeconds, message })}\n`;
}

/** The transition on a line, or undefined when the line is not one (e.g. cut short by a crash). */
export function lineToTransition(line: string): AlertTransition | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = transitionLine.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export interface FileTail {
  /** The last complete or partial lines, oldest first, at most the count asked for. */
  lines: string[];
  /** False when the file is not empty and its last byte is not a newline (a write cut short). */
  endsWithNewline: boolean;
}

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads the last `count` lines of a file by walking back from its end in chunks, so a history
 * that grew for years costs no more to open than a new one.
 */
export async function readLastLines(handle: FileHandle, count: number): Promise<FileTail> {
  const { size } = await handle.stat();
  if (size === 0 || count <= 0) return { lines: [], endsWithNewline: true };
  const chunks: Buffer[] = [];
  let position = size;
  let newlines = 0;
  let endsWithNewline = true;
  // count + 1 newlines guarantee `count` whole lines after the first one (which may be partial).
  while (position > 0 && newlines <= count) {
    const length = Math.min(CHUNK_BYTES, position);
    position -= length;
    const chunk = Buffer.alloc(length);
    const { bytesRead } = await handle.read(chunk, 0, length, position);
    const read = chunk.subarray(0, bytesRead);
    if (chunks.length === 0) endsWithNewline = read[read.length - 1] === NEWLINE;
    for (const byte of read) if (byte === NEWLINE) newlines += 1;
    chunks.unshift(read);
  }
  // Splitting on the newline byte is safe for UTF-8: it never occurs inside a multi-byte character.
  const pieces = Buffer.concat(chunks).toString('utf8').split('\n');
  if (position > 0) pieces.shift();
  if (pieces[pieces.length - 1] === '') pieces.pop();
  return { lines: pieces.slice(-count), endsWithNewline };
}
