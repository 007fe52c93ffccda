import { blankEvent } from './blank_event.js';
import { readUnsigned } from './civil_time.js';
import { splitCsvRow } from './csv_row.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { LineParser, ParseResult } from './parse_result.js';
import { readRequestLine } from './request_line.js';

/**
 * The CSV access log:
 *
 *   "remotehost","rfc931","authuser","date","request","status","bytes"
 *   "10.0.0.2","-","apache",1549573860,"GET /api/user HTTP/1.0",200,1234
 *
 * `date` is Unix seconds (leading zeros allowed). The header line is skipped and sets the column
 * order; before any header the order above applies. A row with another number of columns than the
 * header is invalid ("column count").
 */
export class CsvParser implements LineParser {
  readonly format = 'csv';
  private columns: CsvColumns = STANDARD_COLUMNS;

  parse(line: string): ParseResult {
    const end = contentEnd(line);
    if (isBlank(line, end)) return SKIP;
    const values = splitCsvRow(line, end);
    if (values === undefined) return UNTERMINATED;
    if (isCsvHeader(values)) {
      this.columns = columnsOf(values);
      return SKIP;
    }
    const columns = this.columns;
    if (columns.problem !== '') return invalid(columns.problem);
    if (values.length !== columns.count) return COLUMN_COUNT;

    const seconds = numberAt(values, columns.date);
    if (seconds < 0 || seconds > MAX_SECONDS) return BAD_TIMESTAMP;
    const status = numberAt(values, columns.status);
    if (status < 100 || status > 599) return BAD_STATUS;
    const bytesText = textAt(values, columns.bytes);
    const bytes = bytesText === '' ? 0 : readUnsigned(bytesText, 0, bytesText.length);
    if (bytes < 0) return BAD_BYTES;
    const requestText = values[columns.request] ?? '';

    // The request line fills in method, path, section and protocol.
    const fields = blankEvent('http', line);
    fields.ts = seconds * 1000;
    fields.client = textAt(values, columns.remotehost);
    fields.user = textAt(values, columns.authuser);
    fields.status = status;
    fields.bytes = bytes;
    // Any request the server answered is a hit: one without a path gets NO_PATH_SECTION.
    readRequestLine(requestText, 0, requestText.length, fields);
    return { kind: 'event', fields };
  }
}

interface CsvColumns {
  readonly count: number;
  readonly remotehost: number;
  readonly authuser: number;
  readonly date: number;
  readonly request: number;
  readonly status: number;
  readonly bytes: number;
  /** Why rows cannot be read with this header (a required column is missing), else ''. */
  readonly problem: string;
}

const STANDARD_HEADER = ['remotehost', 'rfc931', 'authuser', 'date', 'request', 'status', 'bytes'];

function columnsOf(header: readonly string[]): CsvColumns {
  const names = header.map((name) => name.trim().toLowerCase());
  const columns = {
    count: names.length,
    remotehost: names.indexOf('remotehost'),
    authuser: names.indexOf('authuser'),
    date: names.indexOf('date'),
    request: names.indexOf('request'),
    status: names.indexOf('status'),
    bytes: names.indexOf('bytes'),
  };
  const missing = (['date', 'request', 'status'] as const).find((name) => columns[name] < 0);
  return { ...columns, problem: missing === undefined ? '' : `header lacks ${missing}` };
}

const STANDARD_COLUMNS = columnsOf(STANDARD_HEADER);

/** The header row: it names the `remotehost` and `request` columns, in any order. */
export function isCsvHeader(values: readonly string[]): boolean {
  let names = 0;
  for (const value of values) {
    const name = value.trim().toLowerCase();
    if (name === 'remotehost' || name === 'request') names++;
  }
  return names === 2;
}

/** The value in column `index`, '' for an absent column or '-'. */
function textAt(values: readonly string[], index: number): string {
  if (index < 0) return '';
  const value = values[index] ?? '';
  return value === '-' ? '' : value;
}

/** The unsigned integer in column `index`, -1 when absent or not a number. */
function numberAt(values: readonly string[], index: number): number {
  const text = values[index] ?? '';
  return readUnsigned(text, 0, text.length);
}

/** 9999-12-31T23:59:59Z: later "dates" are garbage, and would lose precision as milliseconds. */
const MAX_SECONDS = 253_402_300_799;

const UNTERMINATED = invalid('unterminated quote');
const COLUMN_COUNT = invalid('column count');
const BAD_TIMESTAMP = invalid('bad timestamp');
const BAD_STATUS = invalid('bad status');
const BAD_BYTES = invalid('bad bytes');
