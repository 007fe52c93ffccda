import { createParser } from './create_parser.js';
import { classifyLine } from './detect_format.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { LineParser, LogFormat, ParseResult } from './parse_result.js';

/**
 * A parser for a file whose format is not known yet. It keeps no lines: each line is classified
 * until one decides the format (see classifyLine), then that line and all later ones go to the
 * parser of that format. Blank lines before that are skipped; lines of no known shape are invalid
 * ("unknown format").
 */
export class AutoParser implements LineParser {
  private delegate: LineParser | undefined;

  /** The detected format, 'auto' until a line decided it. */
  get format(): LogFormat | 'auto' {
    return this.delegate?.format ?? 'auto';
  }

  parse(line: string): ParseResult {
    if (this.delegate !== undefined) return this.delegate.parse(line);
    if (isBlank(line, contentEnd(line))) return SKIP;
    const format = classifyLine(line);
    if (format === undefined) return UNKNOWN_FORMAT;
    this.delegate = createParser(format);
    return this.delegate.parse(line);
  }
}

const UNKNOWN_FORMAT = invalid('unknown format');

export function createAutoParser(): LineParser {
  return new AutoParser();
}
