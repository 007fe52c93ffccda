/**
 * ClickHouse errors that no retry can cure: the table or its columns do not fit what is inserted,
 * or the credentials are refused. An outage (connection refused, timeouts, too many parts) is not
 * among them: it only delays.
 */
const PERMANENT_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  16, // NO_SUCH_COLUMN_IN_TABLE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  47, // UNKNOWN_IDENTIFIER
  53, // TYPE_MISMATCH
  60, // UNKNOWN_TABLE
  62, // SYNTAX_ERROR
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  81, // UNKNOWN_DATABASE
  117, // INCORRECT_DATA
  192, // UNKNOWN_USER
  193, // WRONG_PASSWORD
  497, // ACCESS_DENIED
  516, // AUTHENTICATION_FAILED
]);

function codeOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
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

/** True when ClickHouse refused the insert for a reason that retrying cannot change. */
export function isPermanentInsertError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && PERMANENT_CODES.has(code);
}
