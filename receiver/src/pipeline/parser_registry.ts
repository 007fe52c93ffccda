import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createAutoParser, createParser, isLogFormat } from '../parsers/index.js';
import type { LineParser, LogFormat } from '../parsers/index.js';

/**
 * One parser per file identity: W3C and CSV parsers keep header state, and auto-detection is
 * decided once per file. A file resumed in the middle (after a restart) has its parser primed
 * with the header lines before the resume offset, so a `#Fields:` line read in an earlier run
 * still applies.
 */
export class ParserRegistry {
  private readonly parsers = new Map<string, LineParser>();
  /** Files whose skip notice was given, so that it is given once. Forgotten with the parser. */
  private readonly noticed = new Set<string>();

  constructor(private readonly format: LogFormat | 'auto') {}

  async parserFor(fileId: string, file: string, firstOffset: number, format?: string): Promise<LineParser> {
    const known = this.parsers.get(fileId);
    if (known) return known;
    const chosen = format !== undefined && isLogFormat(format) ? format : this.format;
    // A forced format never gives a file up; neither does a stream without a file (stdin).
    const parser = chosen === 'auto' ? createAutoParser(file !== '') : createParser(chosen);
    if (firstOffset > 0 && file !== '') await primeWithHeaders(parser, file, firstOffset);
    this.parsers.set(fileId, parser);
    return parser;
  }

  /** Why the file is skipped, the first time it is asked after its parser gave the file up; else ''. */
  skipNotice(fileId: string, parser: LineParser): string {
    const reason = parser.skipReason ?? '';
    if (reason === '' || this.noticed.has(fileId)) return '';
    this.noticed.add(fileId);
    return reason;
  }

  /** Files with a parser of their own now. */
  get size(): number {
    return this.parsers.size;
  }

  /** Forgets a file's parser (the file is finished). */
  release(fileId: string): void {
    this.parsers.delete(fileId);
    this.noticed.delete(fileId);
  }
}

/** Feeds the header lines found before `offset` (W3C `#` lines, the CSV header, the first line) to `parser`. */
async function primeWithHeaders(parser: LineParser, file: string, offset: number): Promise<void> {
  let stream;
  try {
    stream = createReadStream(file, { start: 0, end: offset - 1, encoding: 'utf8', highWaterMark: 256 * 1024 });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (first || line.startsWith('#') || line.startsWith('"remotehost"')) parser.parse(line);
      first = false;
    }
  } catch {
    // The file may be gone (rotated and compressed): the parser then learns from what follows.
  } finally {
    stream?.destroy();
  }
}
