/**
 * What an insert error means for the rows: ClickHouse refused some rows for good (their values do
 * not fit the table), the store as a whole refuses (unknown table, credentials), the local disk
 * refuses (full, read-only), or something that only delays (outage, timeout, too many parts).
 */
export type InsertErrorKind = 'rows' | 'store' | 'disk' | 'transient';

/** Codes of a row that cannot be parsed into, or does not fit, its column: no retry cures them. */
const ROW_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE (FixedString)
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  469, // VIOLATED_CONSTRAINT
  691, // UNKNOWN_ELEMENT_OF_ENUM
]);

/** Codes of a store that refuses every insert until someone fixes it: no row is to blame. */
const STORE_CODES = new Set([
  16, // NO_SUCH_COLUMN_IN_TABLE
  47, // UNKNOWN_IDENTIFIER
  60, // UNKNOWN_TABLE
  62, // SYNTAX_ERROR
  81, // UNKNOWN_DATABASE
  192, // UNKNOWN_USER
  193, // WRONG_PASSWORD
  497, // ACCESS_DENIED
  516, // AUTHENTICATION_FAILED
]);

/** 243 NOT_ENOUGH_SPACE; system errors of a disk that takes no more bytes. */
const DISK_CODES = new Set([243]);
const DISK_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);
const DISK_TEXT = /No space left on device|Disk quota exceeded|Read-only file system|errno: (28|30|122)\b/;

function* chain(error: unknown): Generator<object> {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

/** ClickHouse's error code, in the forms servers, the HTTP client and chDB report it. */
export function clickhouseCodeOf(error: unknown): number | undefined {
  for (const e of chain(error)) {
    const { code, clickhouseCode } = e as { code?: unknown; clickhouseCode?: unknown };
    for (const candidate of [clickhouseCode, code]) {
      const n = typeof candidate === 'number' ? candidate : typeof candidate === 'string' && /^\d+$/.test(candidate) ? Number(candidate) : undefined;
      if (n !== undefined) return n;
    }
    // Older servers answer in a form the client does not parse ("Code: 27, e.displayText() = ...").
    const match = /\bCode: (\d+)[,.]/.exec(String((e as { message?: unknown }).message ?? ''));
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

function isDiskError(error: unknown): boolean {
  for (const e of chain(error)) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && DISK_ERRNOS.has(code)) return true;
    if (DISK_TEXT.test(String(message ?? ''))) return true;
  }
  return false;
}

export function insertErrorKind(error: unknown): InsertErrorKind {
  if (isDiskError(error)) return 'disk';
  const code = clickhouseCodeOf(error);
  if (code === undefined) return 'transient';
  if (ROW_CODES.has(code)) return 'rows';
  if (STORE_CODES.has(code)) return 'store';
  return DISK_CODES.has(code) ? 'disk' : 'transient';
}

/** True when ClickHouse refused the insert for a reason that retrying cannot change. */
export function isPermanentInsertError(error: unknown): boolean {
  const kind = insertErrorKind(error);
  return kind === 'rows' || kind === 'store';
}
