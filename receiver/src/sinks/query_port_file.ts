import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `<dataDir>/query.port`: how `logpulse sql` finds a running receiver's query endpoint. Line 1 is
 * the port, line 2 a random token the endpoint requires (the file is readable by its owner only,
 * so other local users cannot query the logs through the endpoint).
 */
export interface QueryEndpoint {
  port: number;
  token: string;
}

export function queryPortFile(dataDir: string): string {
  return join(dataDir, 'query.port');
}

export function newQueryToken(): string {
  return randomBytes(24).toString('hex');
}

export async function writeQueryPortFile(dataDir: string, endpoint: QueryEndpoint): Promise<void> {
  const file = queryPortFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${endpoint.port}\n${endpoint.token}\n`, { mode: 0o600 });
  await rename(temp, file);
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
  const [portLine, token] = text.split('\n');
  const port = Number(portLine);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535 || token === undefined || token === '') return undefined;
  return { port, token };
}
