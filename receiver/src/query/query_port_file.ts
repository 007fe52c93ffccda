import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `<dataDir>/query.port`: how `logpulse sql` finds a running receiver's query endpoint. Line 1 is
 * the port, line 2 a random token the endpoint requires (the file is readable by its owner only,
 * so other local users cannot query the logs through the endpoint), line 3 the receiver's pid.
 * A SIGKILL leaves the file behind: the pid tells a dead receiver at once, and the token is never
 * sent, only proved (query_endpoint_auth.ts), in case another process holds the port by then.
 */
export interface QueryEndpoint {
  port: number;
  token: string;
  /** The receiver's process id; undefined in files of receivers before it was written. */
  pid?: number;
}

export function queryPortFile(dataDir: string): string {
  return join(dataDir, 'query.port');
}

export function newQueryToken(): string {
  return randomBytes(24).toString('hex');
}

/** `query.port` could not be written (a full or read-only data directory). */
export class QueryPortFileError extends Error {
  override readonly name = 'QueryPortFileError';

  constructor(file: string, options: { cause: unknown }) {
    const cause = options.cause as NodeJS.ErrnoException | undefined;
    super(`query endpoint: write ${file}: ${cause?.code ?? cause?.message ?? String(cause)}`, options);
  }
}

export async function writeQueryPortFile(dataDir: string, endpoint: QueryEndpoint): Promise<void> {
  const file = queryPortFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, `${endpoint.port}\n${endpoint.token}\n${endpoint.pid ?? ''}\n`, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    // A half-written token file helps nobody: only a whole one is ever left.
    await rm(temp, { force: true }).catch(() => {});
    throw new QueryPortFileError(file, { cause: error });
  }
}

export async function removeQueryPortFile(dataDir: string): Promise<void> {
  await rm(queryPortFile(dataDir), { force: true });
}

/** The endpoint a receiver announced, undefined when there is no (readable, well-formed) file. */
export async function readQueryPortFile(dataDir: string): Promise<QueryEndpoint | undefined> {
  let text: string;
  try {
    text = await readFile(queryPortFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const [portLine, token, pidLine] = text.split('\n');
  const port = Number(portLine);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535 || token === undefined || token === '') return undefined;
  const pid = Number(pidLine);
  return Number.isInteger(pid) && pid > 0 ? { port, token, pid } : { port, token };
}

/** Whether the process that wrote the file may still run (a reused pid is caught by the proof). */
export function endpointProcessAlive(endpoint: QueryEndpoint): boolean {
  if (endpoint.pid === undefined) return true;
  try {
    process.kill(endpoint.pid, 0);
    return true;
  } catch {
    // ESRCH, or EPERM: a process of another user has that pid now; it is not our receiver.
    return false;
  }
}
