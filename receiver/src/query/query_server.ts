import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { messageOf, QueryRefusedError } from '../clickhouse/errors.js';
import { parseQueryRequest } from './query_request.js';
import { EndpointAuth, IDENTITY_PATH } from './query_endpoint_auth.js';
import { newQueryToken, removeQueryPortFile, writeQueryPortFile } from './query_port_file.js';
import { ReadQueryGuard } from './read_query_guard.js';
import { openStore, type Store } from '../clickhouse/store.js';

/**
 * The query endpoint of a running receiver. chDB serves one process per data directory, so while
 * the receiver runs, `logpulse sql` sends its queries here: POST `{ query, params, format }` with
 * the token of `<dataDir>/query.port` (proved, not sent: query_endpoint_auth.ts); the result streams back in `format`. Only a single read
 * query runs (read_query_guard.ts, refusals answer 403), with `readonly=1` on its own connection.
 */
export interface QueryServerOptions {
  /** The receiver's data directory (chDB data, and where `query.port` is written). */
  dataDir: string;
  /** ClickHouse server URL when the receiver stores there. @default undefined: chDB in `dataDir` */
  url?: string;
  /** @default 0: a free port, announced in `<dataDir>/query.port` */
  port?: number;
  /** Largest request body accepted. @default 1048576 */
  maxBodyBytes?: number;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface QueryServer {
  readonly port: number;
  /** Stops listening, removes `query.port`, closes the read-only connection. Idempotent. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text.endsWith('\n') ? text : `${text}\n`);
}

const NONCE = /^[0-9a-f]{32}$/;

async function handle(store: Store, guard: ReadQueryGuard, auth: EndpointAuth, maxBodyBytes: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === IDENTITY_PATH) {
    const nonce = url.searchParams.get('nonce') ?? '';
    if (!NONCE.test(nonce)) return reply(response, 400, 'query endpoint: /identity?nonce=<32 hex digits>');
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(JSON.stringify(auth.identity(nonce)));
  }
  if (request.method !== 'POST') return reply(response, 405, 'query endpoint: POST {"query", "params", "format"}');
  let body: string;
  try {
    body = await readBody(request, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return reply(response, 413, `query endpoint: body over ${maxBodyBytes} bytes`);
    throw error;
  }
  if (!auth.authorizes(request.headers.authorization, body)) return reply(response, 401, 'query endpoint: missing or wrong token (see query.port)');
  const parsed = parseQueryRequest(body);
  if (!parsed.ok) return reply(response, 400, `query endpoint: ${parsed.error}`);
  const { query, params, format } = parsed.request;
  const abort = new AbortController();
  response.once('close', () => abort.abort());
  let result;
  try {
    const checked = await guard.check(query, params);
    result = await store.queryStream(checked, params, format, abort.signal);
  } catch (error) {
    return reply(response, error instanceof QueryRefusedError ? 403 : 422, messageOf(error));
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  // An error after the head is sent can only cut the stream short: the client sees a broken body.
  await pipeline(result, response).catch(() => response.destroy());
}

export async function startQueryServer(options: QueryServerOptions): Promise<QueryServer> {
  const store = await openStore({ url: options.url, dataDir: options.dataDir, env: options.env, readonly: true });
  const guard = await ReadQueryGuard.for(store);
  const token = newQueryToken();
  const auth = new EndpointAuth(token);
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const server: Server = createServer((request, response) => {
    handle(store, guard, auth, maxBodyBytes, request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, `query endpoint: ${messageOf(error)}`);
      else response.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await guard.close();
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    await writeQueryPortFile(options.dataDir, { port, token, pid: process.pid });
  } catch (error) {
    // Nobody can find the endpoint without the file; left listening, it would keep a failed
    // `run --once` from ever exiting.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await guard.close();
    await store.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= (async () => {
        await removeQueryPortFile(options.dataDir);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await guard.close();
        await store.close();
      })();
      return closing;
    },
  };
}
