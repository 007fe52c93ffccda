import { createParser } from './create_parser.js';
import { DETECT_MAX_LINES, classifyLine, errorLogKind } from './detect_format.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { LineParser, LogFormat, ParseResult } from './parse_result.js';

/**
 * A parser for a file whose format is not known yet. It keeps no lines: each line is classified
 * until one decides the format (see classifyLine), then that line and all later ones go to the
 * parser of that format. Blank lines before that are skipped; lines of no known shape are invalid
 * ("unknown format").
 *
 * A file that is not a log of a known format is given up as a whole, so that an `error.log` next to
 * an `access.log` costs one notice rather than one invalid line per line: when a line before the
 * decision has the shape of a server's error log, or DETECT_MAX_LINES non-blank lines have no known
 * shape, `skipReason` says why and every later line of the file is skipped without being counted.
 * Streams that are not files (stdin, shipped lines) never give up: `giveUp` false.
 */
export class AutoParser implements LineParser {
  private delegate: LineParser | undefined;
  private undecided = 0;
  private notALog = '';

  constructor(private readonly giveUp = true) {}

  /** The detected format, 'auto' until a line decided it. */
  get format(): LogFormat | 'auto' {
    return this.delegate?.format ?? 'auto';
  }

  /** Why the file is skipped as a whole, '' while it is read. */
  get skipReason(): string {
    return this.notALog;
  }

  parse(line: string): ParseResult {
    if (this.delegate !== undefined) return this.delegate.parse(line);
    if (this.notALog !== '') return SKIP;
    if (isBlank(line, contentEnd(line))) return SKIP;
    const format = classifyLine(line);
    if (format === undefined) return this.undecidedLine(line);
    this.delegate = createParser(format);
    return this.delegate.parse(line);
  }

  private undecidedLine(line: string): ParseResult {
    if (!this.giveUp) return UNKNOWN_FORMAT;
    const errorLog = errorLogKind(line);
    if (errorLog !== '') {
      this.notALog = `${errorLog}, not an access or transfer log`;
      return SKIP;
    }
    if (++this.undecided >= DETECT_MAX_LINES) {
      this.notALog = `no known log format in its first ${DETECT_MAX_LINES} lines`;
      return SKIP;
    }
    return UNKNOWN_FORMAT;
  }
}

const UNKNOWN_FORMAT = invalid('unknown format');

/** An auto-detecting parser; `giveUp` false for a stream that must never be skipped whole. */
export function createAutoParser(giveUp = true): AutoParser {
  return new AutoParser(giveUp);
}
