/** What the pipeline knows one stream of messages by: one parser state per (host, tag). */
export interface SyslogStream {
  source: string;
  /** `syslog:<tag>`, or `syslog` for messages without a tag. */
  file: string;
  /** `syslog:<source>:<tag>`: the parser state's key and the key material of content ids. */
  fileId: string;
  /**
   * Number of the stream's next message, from 0 when the stream is first seen: the `position` of
   * the offset-less identity (a datagram stream has no byte positions), so that two identical
   * lines of a stream stay two events however they fall into batches.
   */
  nextPosition: number;
}

/**
 * The streams seen lately, at most `maxStreams`: host names and tags are chosen by senders, so a
 * sender making up a new one per message would otherwise grow the pipeline's parser table without
 * end. The least recently seen stream is forgotten (`release` drops its parser state); when it
 * comes back its format is detected again.
 */
export class SyslogStreams {
  private readonly streams = new Map<string, SyslogStream>();

  constructor(
    private readonly maxStreams: number,
    private readonly release: (fileId: string) => void,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  get(source: string, tag: string): SyslogStream {
    const key = `${source}\0${tag}`;
    const known = this.streams.get(key);
    if (known) {
      // Map order is insertion order: re-inserting makes it the most recently seen.
      this.streams.delete(key);
      this.streams.set(key, known);
      return known;
    }
    const stream: SyslogStream = { source, file: tag === '' ? 'syslog' : `syslog:${tag}`, fileId: `syslog:${source}:${tag}`, nextPosition: 0 };
    this.streams.set(key, stream);
    if (this.streams.size > this.maxStreams) {
      const [oldestKey, oldest] = this.streams.entries().next().value as [string, SyslogStream];
      this.streams.delete(oldestKey);
      this.release(oldest.fileId);
    }
    return stream;
  }
}
