interface Stream {
  /** Newest second of event time seen from this stream. */
  latestSecond: number;
  /** Wall time of its last line, epoch ms. */
  arrivedWallMs: number;
}

/**
 * How far event time has got in every stream (a file, keyed by source and path) that is still
 * delivering. Files followed at once, or a folder read a few batches per file at a time, interleave:
 * a second is complete only once every one of them has moved past it, so the watermark is the
 * oldest of their newest seconds. A stream that delivered nothing for `idleMs` of wall time (a
 * quiet log, a rotated file read to its end) no longer holds it back, and is forgotten: the map
 * holds only the files delivering now.
 */
export class StreamWatermark {
  private readonly idleMs: number;
  private readonly streams = new Map<string, Stream>();
  /** The stream of the previous line: consecutive lines of a batch share it without a map lookup. */
  private last: { source: string; file: string; stream: Stream } | undefined;

  constructor(idleMs: number) {
    this.idleMs = idleMs;
  }

  /** Notes a line of (source, file) at `second`; true when the stream is new or its newest second moved. */
  observe(source: string, file: string, second: number, wallMs: number): boolean {
    let stream: Stream;
    const last = this.last;
    if (last !== undefined && last.source === source && last.file === file) {
      stream = last.stream;
    } else {
      const key = `${source}\0${file}`;
      const found = this.streams.get(key);
      if (!found) {
        stream = { latestSecond: second, arrivedWallMs: wallMs };
        this.streams.set(key, stream);
        this.last = { source, file, stream };
        return true;
      }
      stream = found;
      this.last = { source, file, stream };
    }
    stream.arrivedWallMs = wallMs;
    if (second <= stream.latestSecond) return false;
    stream.latestSecond = second;
    return true;
  }

  /** The oldest newest-second of the streams delivering at `wallMs`; undefined when none is. */
  current(wallMs: number): number | undefined {
    let oldest: number | undefined;
    for (const [key, stream] of this.streams) {
      if (wallMs - stream.arrivedWallMs > this.idleMs) {
        this.streams.delete(key);
        if (this.last?.stream === stream) this.last = undefined;
        continue;
      }
      if (oldest === undefined || stream.latestSecond < oldest) oldest = stream.latestSecond;
    }
    return oldest;
  }

  /** Streams held now (for tests of the bound). */
  get size(): number {
    return this.streams.size;
  }
}
