import { AccessLineScanner } from './access_line_scanner.js';
import { ClfTimestampCache } from './clf_timestamp.js';
import type { LineParser, ParseResult } from './parse_result.js';

/**
 * Common Log Format (NCSA, Apache `common`, nginx without its extra fields):
 * `127.0.0.1 - james [09/May/2018:16:00:39 +0000] "GET /report HTTP/1.0" 200 123`.
 * Anything after the bytes field is ignored, so combined lines read as CLF lose only their referer
 * and user agent.
 */
export class ClfParser implements LineParser {
  readonly format = 'clf';
  private readonly scanner = new AccessLineScanner(false, new ClfTimestampCache());

  parse(line: string): ParseResult {
    return this.scanner.scan(line);
  }
}
