import type { Event } from '../model/event.js';

/** The log formats a parser exists for. */
export type LogFormat = 'clf' | 'combined' | 'w3c' | 'csv' | 'sftpgo';

export const LOG_FORMATS: readonly LogFormat[] = Object.freeze(['clf', 'combined', 'w3c', 'csv', 'sftpgo'] as const);

/**
 * What one line turned out to be. An event's `fields` is already a whole `Event` with a blank
 * identity and origin (`eventId` 0n, `receivedAt` 0, `source` and `file` '', `offset` -1, `raw`
 * the line): the pipeline fills those in place, so that a line costs one object, not two.
 */
export type ParseResult =
  | { kind: 'event'; fields: Event }
  /** A header, comment, blank or non-event line: neither an error nor an event. */
  | { kind: 'skip' }
  /** A line that should have been an event but is not readable; `reason` is short ("bad timestamp"). */
  | { kind: 'invalid'; reason: string };

/**
 * Parses the lines of one file, in order. W3C and CSV parsers keep the file's header, so each file
 * gets its own instance. `parse` never throws: bad input is an 'invalid' result.
 */
export interface LineParser {
  /** The format parsed; 'auto' for a detecting parser that has not decided yet. */
  readonly format: LogFormat | 'auto';
  /**
   * Why the whole file is skipped as not a log of a known format (an error log...), '' or absent
   * while it is read. Only a detecting parser ever gives a file up.
   */
  readonly skipReason?: string;
  parse(line: string): ParseResult;
}

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

/** The one 'skip' result: results are shared and must not be mutated. */
export const SKIP: ParseResult = Object.freeze({ kind: 'skip' });

const invalidByReason = new Map<string, ParseResult>();

/**
 * The 'invalid' result for `reason`, shared per reason so that a file full of garbage does not
 * allocate per line. Reasons are a small fixed set; keep them free of line content.
 */
export function invalid(reason: string): ParseResult {
  let result = invalidByReason.get(reason);
  if (result === undefined) {
    result = Object.freeze({ kind: 'invalid', reason });
    invalidByReason.set(reason, result);
  }
  return result;
}

/** Length of `line` without a trailing carriage return (CRLF files read as LF). */
export function contentEnd(line: string): number {
  const end = line.length;
  return end > 0 && line.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** True when `line` up to `end` holds only spaces and tabs. */
export function isBlank(line: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
