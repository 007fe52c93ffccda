import { redactUrl } from '../config/redact_url.js';
import { SinkConfigError } from './errors.js';

/** Where the events live: embedded chDB under `dataDir`, or a ClickHouse server at `url`. */
export interface StoreOptions {
  /**
   * ClickHouse server HTTP URL, e.g. `http://user:secret@clickhouse:8123`. Credentials come from the
   * URL, else from `CLICKHOUSE_USER` / `CLICKHOUSE_PASSWORD`. @default undefined: embedded chDB
   */
  url?: string;
  /** The receiver's data directory; chDB keeps its data in `<dataDir>/clickhouse`. */
  dataDir: string;
  /** Every query carries `readonly=1`; inserts are refused. @default false */
  readonly?: boolean;
  /** HTTP request timeout (server only). @default 30000 */
  requestTimeoutMs?: number;
  /** Environment to read credentials from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Output formats `query` accepts; the name is appended to the query, so it must come from this list. */
export const OUTPUT_FORMATS = [
  'JSONEachRow', 'JSON', 'JSONCompact', 'JSONCompactEachRow', 'CSV', 'CSVWithNames', 'TSV', 'TabSeparated',
  'TSVWithNames', 'TabSeparatedWithNames', 'Pretty', 'PrettyCompact', 'PrettyCompactMonoBlock', 'PrettySpace',
  'PrettyNoEscapes', 'Markdown', 'Vertical', 'Values',
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database or table name from the configuration; it is spliced into DDL, so only plain identifiers pass. */
export function checkIdentifier(key: string, value: string): string {
  if (!IDENTIFIER.test(value)) throw new SinkConfigError(key, 'a plain identifier ([A-Za-z_][A-Za-z0-9_]*)', value);
  return value;
}

export interface ServerTarget {
  /** The URL without credentials. */
  url: string;
  username?: string;
  password?: string;
  /** How errors and logs name the server: the URL with the user but never a password (query string too). */
  display: string;
}

/** Splits a server URL into its address and credentials (URL first, then environment). */
export function serverTarget(rawUrl: string, env: NodeJS.ProcessEnv = process.env): ServerTarget {
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new SinkConfigError('url', 'an http(s) URL such as http://clickhouse:8123', redactUrl(rawUrl, environmentOf(env)));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SinkConfigError('url', 'an http:// or https:// URL', redactUrl(rawUrl, environmentOf(env)));
  }
  const username = parsed.username !== '' ? decodeURIComponent(parsed.username) : env.CLICKHOUSE_USER || undefined;
  const password = parsed.password !== '' ? decodeURIComponent(parsed.password) : env.CLICKHOUSE_PASSWORD || undefined;
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString();
  const shown = new URL(url);
  if (username !== undefined) shown.username = encodeURIComponent(username);
  const secrets = password === undefined ? environmentOf(env) : [password, ...environmentOf(env)];
  return { url, username, password, display: redactUrl(shown.toString(), secrets) };
}

function environmentOf(env: NodeJS.ProcessEnv): string[] {
  return env.CLICKHOUSE_PASSWORD ? [env.CLICKHOUSE_PASSWORD] : [];
}
