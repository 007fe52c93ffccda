import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../config/config_error.js';

interface TokenEntry {
  digest: Buffer;
  /** The only source this token may write; undefined for `--ingest-token`, which may write any. */
  source: string | undefined;
}

export type AuthResult = { ok: true; source: string | undefined } | { ok: false; reason: 'missing' | 'invalid' };

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Bearer tokens of the ingest endpoint. Tokens are kept only as SHA-256 digests and compared with
 * timingSafeEqual on those equal-length digests, against every entry without stopping at the
 * first match, so the time taken says nothing about how much of a token was right.
 */
export class IngestAuth {
  private constructor(private readonly entries: readonly TokenEntry[]) {}

  /** `token` (any source) and the `source token` lines of `tokensFile`; none at all = no auth. */
  static load(token: string, tokensFile: string): IngestAuth {
    const entries: TokenEntry[] = [];
    if (token !== '') entries.push({ digest: digestOf(token), source: undefined });
    if (tokensFile !== '') entries.push(...readTokensFile(tokensFile));
    return new IngestAuth(entries);
  }

  get required(): boolean {
    return this.entries.length > 0;
  }

  check(authorization: string | undefined): AuthResult {
    if (!this.required) return { ok: true, source: undefined };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, reason: 'missing' };
    const presented = digestOf(match[1]);
    let found: TokenEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry;
    }
    return found ? { ok: true, source: found.source } : { ok: false, reason: 'invalid' };
  }
}

/** Lines `source token`; `#` starts a comment; errors name the line, never the token. */
function readTokensFile(path: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--ingest-tokens-file: read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  const entries: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    if (fields.length !== 2 || !fields[0] || !fields[1]) {
      throw new ConfigError(`--ingest-tokens-file: ${path} line ${index + 1}: expected "source token", got ${fields.length} fields`);
    }
    entries.push({ source: fields[0], digest: digestOf(fields[1]) });
  });
  if (entries.length === 0) throw new ConfigError(`--ingest-tokens-file: ${path}: expected at least one "source token" line, got none`);
  return entries;
}
