/**
 * Where each field of interest sits in a W3C Extended log line, from its `#Fields:` directive.
 * -1 marks a field the log does not have.
 */
export interface W3cColumns {
  readonly count: number;
  readonly date: number;
  readonly time: number;
  readonly clientIp: number;
  readonly username: number;
  readonly method: number;
  readonly uriStem: number;
  readonly uriQuery: number;
  readonly version: number;
  readonly status: number;
  readonly bytesSent: number;
  readonly timeTaken: number;
  readonly userAgent: number;
  readonly referer: number;
  /** Why lines cannot be read with these columns (a required field is missing), else ''. */
  readonly problem: string;
}

/** Columns of a `#Fields:` directive's value (`date time c-ip cs-method ...`). */
export function columnsOf(fieldList: string): W3cColumns {
  const names = fieldList.trim().split(/\s+/).map((name) => name.toLowerCase());
  const at = (name: string): number => names.indexOf(name);
  const columns = {
    count: names.length,
    date: at('date'),
    time: at('time'),
    clientIp: at('c-ip'),
    username: at('cs-username'),
    method: at('cs-method'),
    uriStem: at('cs-uri-stem'),
    uriQuery: at('cs-uri-query'),
    version: at('cs-version'),
    status: at('sc-status'),
    bytesSent: at('sc-bytes'),
    timeTaken: at('time-taken'),
    userAgent: at('cs(user-agent)'),
    referer: at('cs(referer)'),
  };
  let problem = '';
  if (columns.time < 0) problem = '#Fields lacks time';
  else if (columns.uriStem < 0) problem = '#Fields lacks cs-uri-stem';
  else if (columns.status < 0) problem = '#Fields lacks sc-status';
  return { ...columns, problem };
}

/**
 * IIS's default field set since IIS 8.5, and the same with sc-bytes and cs-bytes, which many sites
 * turn on. Used when data lines arrive before any `#Fields:` directive (a file read from the middle
 * without its header) and their column count matches one of them.
 */
const IIS_DEFAULT = columnsOf(
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
);
const IIS_WITH_BYTES = columnsOf(
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken',
);

export function defaultColumnsFor(count: number): W3cColumns | undefined {
  if (count === IIS_DEFAULT.count) return IIS_DEFAULT;
  if (count === IIS_WITH_BYTES.count) return IIS_WITH_BYTES;
  return undefined;
}
