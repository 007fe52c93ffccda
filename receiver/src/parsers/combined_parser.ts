import { AccessLineScanner } from './access_line_scanner.js';
import { ClfTimestampCache } from './clf_timestamp.js';
import type { LineParser, ParseResult } from './parse_result.js';

/**
 * Combined Log Format, the nginx and Apache default: CLF plus `"referer" "user-agent"`. Extra
 * nginx fields after the user agent (`$request_time`, upstream times, `"$http_x_forwarded_for"`)
 * are tolerated; a request time in seconds (`0.123`) becomes durationMs. A line missing the
 * referer or user agent is invalid ("truncated line").
 */
export class CombinedParser implements LineParser {
  readonly format = 'combined';
  private readonly scanner = new AccessLineScanner(true, new ClfTimestampCache());

  parse(line: string): ParseResult {
    return this.scanner.scan(line);
  }
}
