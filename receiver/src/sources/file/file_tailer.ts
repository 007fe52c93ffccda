import type { FileHandle } from 'node:fs/promises';
import type { RawLine } from '../../model/line_batch.js';
import { emitBatches, type EmitLines } from '../batching.js';
import { LineSplitter } from '../line_splitter.js';

export interface FileTailerOptions {
  /** Offset of the first byte to read: the start of a line. */
  startOffset: number;
  /** Lines longer than this are cut and marked truncated. */
  maxLineBytes: number;
  /** Lines per batch at most. */
  maxBatchLines: number;
}

/**
 * Reads one open file from an offset, line by line, awaiting each batch before reading on. The
 * file handle stays open, so a renamed or deleted file can still be read to its end.
 */
export class FileTailer {
  readonly fh: FileHandle;
  private splitter: LineSplitter;
  private readonly maxBatchLines: number;
  private readonly maxLineBytes: number;
  private readPos: number;

  constructor(fh: FileHandle, options: FileTailerOptions) {
    this.fh = fh;
    this.readPos = options.startOffset;
    this.maxBatchLines = options.maxBatchLines;
    this.maxLineBytes = options.maxLineBytes;
    this.splitter = new LineSplitter(options.startOffset, options.maxLineBytes);
  }

  /** Offset of the next byte to read. */
  get position(): number {
    return this.readPos;
  }

  /** Offset just past the last complete line handed on. */
  get lineEnd(): number {
    return this.splitter.lineEnd;
  }

  /**
   * Reads what the file holds now and emits its complete lines. Stops early after `maxBatches`
   * batches or when `stop()` says so; returns true when it reached the end of the file. `buf` is
   * the caller's, reused from read to read (lines are copied out of it).
   *
   * `sameContent` is asked after every read, before its bytes are used: a copytruncate may have
   * replaced the content since the file was last identified (a batch can wait long for the sink),
   * and bytes read at the old position would then be new content under the old id. When it says
   * no, the bytes are dropped and reading stops there, as at the end of the file.
   */
  async read(emit: EmitLines, maxBatches: number, stop: () => boolean, buf: Buffer, sameContent: () => Promise<boolean>): Promise<boolean> {
    const out: RawLine[] = [];
    let batches = 0;
    for (;;) {
      if (stop()) return false;
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, this.readPos);
      if (bytesRead === 0) break;
      // Checked after the read: content replaced before it shows in the head by now.
      if (!(await sameContent())) break;
      this.readPos += bytesRead;
      this.splitter.push(buf.subarray(0, bytesRead), out);
      batches += await emitBatches(out, this.splitter.lineEnd, this.maxBatchLines, emit, false);
      if (batches >= maxBatches) {
        await emitBatches(out, this.splitter.lineEnd, this.maxBatchLines, emit, true);
        return false;
      }
    }
    await emitBatches(out, this.splitter.lineEnd, this.maxBatchLines, emit, true);
    return true;
  }

  /** Reads again from `offset`, the start of a line (a batch from there on was not stored). */
  rewind(offset: number): void {
    this.readPos = offset;
    this.splitter = new LineSplitter(offset, this.maxLineBytes);
  }

  /** Emits the unterminated last line, if any: the file will not grow any more. */
  async finish(emit: EmitLines): Promise<void> {
    const line = this.splitter.flushPartial();
    if (line) await emit([line], this.splitter.lineEnd);
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }
}
