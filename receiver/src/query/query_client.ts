import { QueryError, QueryRefusedError } from '../clickhouse/errors.js';
import { DEFAULT_FORMAT } from './query_request.js';
import { AUTH_SCHEME, IDENTITY_PATH, isIdentityProof, newNonce, queryMac } from './query_endpoint_auth.js';
import { endpointProcessAlive, readQueryPortFile, type QueryEndpoint } from './query_port_file.js';
import { ReadQueryGuard } from './read_query_guard.js';
import { openStore, type QueryParams } from '../clickhouse/store.js';
import type { OutputFormat } from '../clickhouse/store_options.js';

export interface RunSqlOptions {
  /** The receiver's data directory. */
  dataDir: string;
  /** ClickHouse server URL; when set the query goes straight there. @default undefined */
  url?: string;
  query: string;
  /** Values for `{name:Type}` placeholders. @default {} */
  params?: QueryParams;
  /** @default 'TSV' */
  format?: OutputFormat;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether the process on the endpoint's port knows the token, asked without sending it
 * (query_endpoint_auth.ts); its challenge for one query when it does. Undefined when nothing
 * answers there or the answer is not the proof: a receiver that died, its port now someone else's.
 */
async function challengeOf(endpoint: QueryEndpoint): Promise<string | undefined> {
  const nonce = newNonce();
  try {
    const response = await fetch(`http://127.0.0.1:${endpoint.port}${IDENTITY_PATH}?nonce=${nonce}`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    const answer = (await response.json()) as { proof?: unknown; challenge?: unknown };
    if (typeof answer.proof !== 'string' || typeof answer.challenge !== 'string') return undefined;
    return isIdentityProof(endpoint.token, nonce, answer.proof) ? answer.challenge : undefined;
  } catch {
    return undefined;
  }
}

/** The query endpoint's answer; undefined when the process there is not the receiver. */
async function viaEndpoint(endpoint: QueryEndpoint, request: { query: string; params: QueryParams; format: OutputFormat }): Promise<string | undefined> {
  if (!endpointProcessAlive(endpoint)) return undefined;
  const challenge = await challengeOf(endpoint);
  if (challenge === undefined) return undefined;
  const body = JSON.stringify(request);
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${endpoint.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `${AUTH_SCHEME} ${challenge}:${queryMac(endpoint.token, challenge, body)}` },
      body,
    });
  } catch {
    return undefined;
  }
  const text = await response.text();
  if (!response.ok) throw new QueryError(`via the receiver on port ${endpoint.port} (HTTP ${response.status}): ${text.trim()}`);
  return text;
}

/**
 * Runs one read-only query for `logpulse sql`: through a running receiver's query endpoint when
 * `<dataDir>/query.port` answers (chDB allows one process per data directory), otherwise on the
 * store itself (the server at `url`, or chDB in `dataDir`).
 */
export async function runSql(options: RunSqlOptions): Promise<string> {
  const request = { query: options.query, params: options.params ?? {}, format: options.format ?? DEFAULT_FORMAT };
  if (options.url === undefined) {
    const endpoint = await readQueryPortFile(options.dataDir);
    if (endpoint !== undefined) {
      const answer = await viaEndpoint(endpoint, request);
      if (answer !== undefined) return answer;
    }
  }
  const store = await openStore({ url: options.url, dataDir: options.dataDir, env: options.env, readonly: true });
  let guard: ReadQueryGuard | undefined;
  try {
    guard = await ReadQueryGuard.for(store);
    const checked = await guard.check(request.query, request.params);
    return await store.query(checked, request.params, request.format);
  } catch (error) {
    if (error instanceof QueryRefusedError) throw error;
    throw new QueryError(`on ${store.target}`, { cause: error });
  } finally {
    await guard?.close();
    await store.close();
  }
}
