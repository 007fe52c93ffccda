import { readUnsigned } from './civil_time.js';

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
  /** `cs-bytes`: what the client sent (an FTP upload's size). */
  readonly bytesReceived: number;
  /** `cs-host`, else `s-sitename`: the virtual host of the request. */
  readonly vhost: number;
  /** `x-fullpath`: the full path of an FTP file command. */
  readonly fullPath: number;
  /** The columns of IIS's FTP service (`x-session`, `x-fullpath`): lines are FTP commands, not HTTP requests. */
  readonly ftp: boolean;
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
    bytesReceived: at('cs-bytes'),
    vhost: at('cs-host') >= 0 ? at('cs-host') : at('s-sitename'),
    fullPath: at('x-fullpath'),
    ftp: at('x-session') >= 0 || at('x-fullpath') >= 0,
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

/** The value in column `index`, '' for an absent column or '-'. */
export function valueAt(values: readonly string[], index: number): string {
  if (index < 0) return '';
  const value = values[index] ?? '';
  return value === '-' ? '' : value;
}

/** The count in column `index`: 0 when absent or empty, -1 when not a number. */
export function numberAt(values: readonly string[], index: number): number {
  const text = valueAt(values, index);
  return text === '' ? 0 : readUnsigned(text, 0, text.length);
}
