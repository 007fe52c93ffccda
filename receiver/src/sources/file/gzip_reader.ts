import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { FINGERPRINT_BYTES } from '../../checkpoint/fingerprint.js';
import type { RawLine } from '../../model/line_batch.js';
import { emitBatches, type EmitLines } from '../batching.js';
import { LineSplitter } from '../line_splitter.js';
import { BatchFailedError } from '../source.js';
import { SourceError } from '../source_error.js';

export interface GzipReadOptions {
  /** Decompressed offset to start at: what was already read of this content is skipped. */
  startOffset: number;
  maxLineBytes: number;
  maxBatchLines: number;
  stop: () => boolean;
  /** Told how many compressed bytes were consumed so far. */
  onProgress?: (compressedBytes: number) => void;
}

/**
 * Reads an open gzip'd (rotated) log, `path` naming it in errors, through a zlib stream, emitting its lines from `startOffset` on;
 * offsets are positions in the decompressed content, i.e. in the original file. The last line is
 * emitted even without its newline: a compressed file does not grow. Returns true when it read
 * everything, false when stopped.
 */
export async function readGzip(fh: FileHandle, path: string, options: GzipReadOptions, emit: EmitLines): Promise<boolean> {
  const { stream, compressedBytes, dispose } = gunzipHandle(fh);
  const splitter = new LineSplitter(options.startOffset, options.maxLineBytes);
  const out: RawLine[] = [];
  let position = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (options.stop()) return false;
      const skip = Math.max(0, Math.min(chunk.length, options.startOffset - position));
      position += chunk.length;
      if (skip < chunk.length) splitter.push(chunk.subarray(skip), out);
      await emitBatches(out, splitter.lineEnd, options.maxBatchLines, emit, false);
      options.onProgress?.(compressedBytes());
    }
    const last = splitter.flushPartial();
    if (last) out.push(last);
    await emitBatches(out, splitter.lineEnd, options.maxBatchLines, emit, true);
    return true;
  } catch (cause) {
    if (cause instanceof BatchFailedError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new SourceError(`read gzip ${path}: ${code}`, path, { cause });
  } finally {
    dispose();
  }
}

/** The first `FINGERPRINT_BYTES` of the decompressed content of an open gzip file (from its start). */
export async function readGzipHead(fh: FileHandle): Promise<Buffer> {
  const { stream, dispose } = gunzipHandle(fh);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= FINGERPRINT_BYTES) break;
    }
  } finally {
    dispose();
  }
  return Buffer.concat(chunks).subarray(0, FINGERPRINT_BYTES);
}

const CHUNK_BYTES = 64 * 1024;

/**
 * The decompressed content of an open file, read from its start through positioned reads: the
 * handle stays the caller's (a file stream would close it when destroyed), and a file renamed
 * meanwhile is still the one read.
 */
function gunzipHandle(fh: FileHandle): { stream: Gunzip; compressedBytes: () => number; dispose: () => void } {
  let read = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, read);
      if (bytesRead === 0) return;
      read += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  }
  const input = Readable.from(chunks(), { objectMode: false });
  const stream = createGunzip();
  input.on('error', (error) => stream.destroy(error));
  input.pipe(stream);
  return {
    stream,
    compressedBytes: () => read,
    dispose: () => {
      input.unpipe(stream);
      stream.destroy();
      input.destroy();
    },
  };
}
