import { blankEvent } from './blank_event.js';
import { fractionMillis, readDigits, readUnsigned, utcMillis } from './civil_time.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { LineParser, ParseResult } from './parse_result.js';
import { sectionOf } from './section.js';
import { columnsOf, defaultColumnsFor, numberAt, valueAt } from './w3c_columns.js';
import { ftpTransfer } from './w3c_ftp.js';
import { hostOf } from './sftpgo_parser.js';
import type { W3cColumns } from './w3c_columns.js';

/**
 * W3C Extended Log Format, as IIS writes it. `#` directives are skipped, and `#Fields:` sets the
 * columns of the lines after it: IIS writes a new header block whenever its logging settings
 * change, so the columns may change mid-file. `-` is an empty value, `+` in the user agent stands
 * for a space, date and time are UTC, time-taken is in milliseconds. Without a `date` column, the
 * date of the last `#Date:` directive applies. `cs-host` (else `s-sitename`) is the vhost. Logs of
 * IIS's FTP service (`x-session`, `x-fullpath` columns) are read as transfers: see w3c_ftp.ts.
 */
export class W3cParser implements LineParser {
  readonly format = 'w3c';
  private columns: W3cColumns | undefined;
  /** `yyyy-mm-dd` of the last `#Date:` directive. */
  private directiveDate = '';

  parse(line: string): ParseResult {
    const end = contentEnd(line);
    if (isBlank(line, end)) return SKIP;
    if (line.charCodeAt(0) === HASH) {
      this.readDirective(line.slice(0, end));
      return SKIP;
    }
    const values = line.slice(0, end).split(' ');
    const columns = this.columns ?? defaultColumnsFor(values.length);
    if (columns === undefined) return NO_FIELDS;
    if (columns.problem !== '') return invalid(columns.problem);
    if (values.length !== columns.count) return COLUMN_COUNT;

    const dateText = columns.date >= 0 ? valueAt(values, columns.date) : this.directiveDate;
    const ts = w3cTimestamp(dateText, valueAt(values, columns.time));
    if (Number.isNaN(ts)) return BAD_TIMESTAMP;
    if (columns.ftp) return ftpTransfer(line, values, columns, ts);
    const statusText = valueAt(values, columns.status);
    const status = readUnsigned(statusText, 0, statusText.length);
    if (status < 100 || status > 599) return BAD_STATUS;
    const bytes = numberAt(values, columns.bytesSent);
    if (bytes < 0) return BAD_BYTES;
    const durationMs = numberAt(values, columns.timeTaken);
    if (durationMs < 0) return BAD_TIME_TAKEN;
    const stem = valueAt(values, columns.uriStem);
    const section = sectionOf(stem);
    if (section === '') return BAD_TARGET;
    const query = valueAt(values, columns.uriQuery);

    const fields = blankEvent('http', line);
    fields.ts = ts;
    fields.vhost = hostOf(valueAt(values, columns.vhost));
    fields.client = valueAt(values, columns.clientIp);
    fields.user = valueAt(values, columns.username);
    fields.method = valueAt(values, columns.method);
    fields.path = query === '' ? stem : `${stem}?${query}`;
    fields.section = section;
    fields.status = status;
    fields.protocol = valueAt(values, columns.version);
    fields.bytes = bytes;
    fields.referer = valueAt(values, columns.referer);
    fields.userAgent = valueAt(values, columns.userAgent).replaceAll('+', ' ');
    fields.durationMs = durationMs;
    return { kind: 'event', fields };
  }

  private readDirective(directive: string): void {
    if (directive.startsWith('#Fields:')) {
      this.columns = columnsOf(directive.slice('#Fields:'.length));
    } else if (directive.startsWith('#Date:')) {
      this.directiveDate = directive.slice('#Date:'.length).trim().slice(0, 10);
    }
  }
}

const HASH = 35;

const NO_FIELDS = invalid('no #Fields header');
const COLUMN_COUNT = invalid('column count');
const BAD_TIMESTAMP = invalid('bad timestamp');
const BAD_STATUS = invalid('bad status');
const BAD_BYTES = invalid('bad bytes');
const BAD_TIME_TAKEN = invalid('bad time-taken');
const BAD_TARGET = invalid('bad request target');

/** Epoch ms of `yyyy-mm-dd` and `HH:MM:SS[.fff]` (UTC), NaN when either is unreadable. */
function w3cTimestamp(date: string, time: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  if (time.length < 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return NaN;
  let millis = 0;
  if (time.length > 8) {
    if (time.charCodeAt(8) !== 46 || time.length === 9) return NaN;
    millis = fractionMillis(time, 9, time.length);
    if (millis < 0) return NaN;
  }
  const parts = [readDigits(date, 0, 4), readDigits(date, 5, 2), readDigits(date, 8, 2), readDigits(time, 0, 2), readDigits(time, 3, 2), readDigits(time, 6, 2)];
  if (parts.some((part) => part < 0)) return NaN;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  return utcMillis(year, month, day, hour, minute, second, millis);
}
