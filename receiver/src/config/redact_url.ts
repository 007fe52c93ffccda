/**
 * The one place that hides passwords in text about URLs: config errors, store errors, logs. It
 * works on any text, parseable URL or not, since the URL that holds a password is often the one
 * that failed to parse (`htp://u:secret@host`, `http://u:secret@host:notaport`).
 */

export const REDACTED = '***';

/** Query-string keys whose values are secrets (`?password=`, as ClickHouse's HTTP interface takes). */
const SECRET_KEYS = /([?&;](?:password|passwd|pass|pwd|secret|token|key|access_key|secret_key)=)[^&#\s"']*/gi;

/** `scheme://user:password@`: everything from the first `:` of the authority to its last `@`. */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']*):[^\s"']*@/gi;

/** `user:password@host` typed without its scheme. */
const BARE_USERINFO = /(^|[\s"'(=])([^\s:@"'(=]+):[^\s"'@/]*@/g;

/** Secrets known by value shorter than this are not searched for: they would blank common text. */
const MIN_SECRET_LENGTH = 4;

/** The secrets of this process's environment that no message may show. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.CLICKHOUSE_PASSWORD].filter((value): value is string => value !== undefined);
}

/**
 * `text` with URL passwords replaced by `***`: the password part of `user:password@`, secret
 * query parameters, and every occurrence of the known `secrets` (by default the environment's).
 */
export function redactUrl(text: string, secrets: readonly string[] = environmentSecrets()): string {
  let redacted = text.replace(USERINFO, `$1:${REDACTED}@`).replace(BARE_USERINFO, `$1$2:${REDACTED}@`).replace(SECRET_KEYS, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    redacted = redacted.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) redacted = redacted.split(encoded).join(REDACTED);
  }
  return redacted;
}
