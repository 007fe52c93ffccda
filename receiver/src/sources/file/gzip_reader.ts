import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
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
 * Reads a gzip'd (rotated) log through a zlib stream, emitting its lines from `startOffset` on;
 * offsets are positions in the decompressed content, i.e. in the original file. The last line is
 * emitted even without its newline: a compressed file does not grow. Returns true when it read
 * everything, false when stopped.
 */
export async function readGzip(path: string, options: GzipReadOptions, emit: EmitLines): Promise<boolean> {
  const file = createReadStream(path);
  const stream = file.pipe(createGunzip());
  file.on('error', (error) => stream.destroy(error));
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
      options.onProgress?.(file.bytesRead);
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
    stream.destroy();
    file.destroy();
  }
}
