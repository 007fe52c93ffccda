import { ClfParser } from './clf_parser.js';
import { CombinedParser } from './combined_parser.js';
import { CsvParser } from './csv_parser.js';
import { LOG_FORMATS } from './parse_result.js';
import type { LineParser, LogFormat } from './parse_result.js';
import { SftpgoParser } from './sftpgo_parser.js';
import { W3cParser } from './w3c_parser.js';

/** A format name that no parser exists for (from a config file or a batch's `format`). */
export class UnknownLogFormatError extends Error {
  override readonly name = 'UnknownLogFormatError';

  constructor(
    readonly value: string,
    options?: ErrorOptions,
  ) {
    super(`parsers: create parser: unknown log format "${value}", expected one of ${LOG_FORMATS.join(', ')}`, options);
  }
}

/**
 * A new parser for one file of `format`. W3C and CSV parsers keep the file's header, so never
 * share one between files. Throws UnknownLogFormatError for a name that is not a LogFormat (only
 * reachable from untyped input).
 */
export function createParser(format: LogFormat): LineParser {
  switch (format) {
    case 'clf':
      return new ClfParser();
    case 'combined':
      return new CombinedParser();
    case 'w3c':
      return new W3cParser();
    case 'csv':
      return new CsvParser();
    case 'sftpgo':
      return new SftpgoParser();
    default:
      throw new UnknownLogFormatError(String(format as unknown));
  }
}
