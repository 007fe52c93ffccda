import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How `logpulse sql` and the query endpoint prove to each other that they share the token of
 * `query.port`, without the token ever crossing the socket.
 *
 * A receiver killed with SIGKILL leaves `query.port` behind; later any process may listen on that
 * port. A client that sent `Authorization: Bearer <token>` there would hand the token to it. So:
 *  1. The client sends a random nonce: `GET /identity?nonce=<hex>`.
 *  2. The endpoint answers `HMAC(token, "identity:" + nonce)` and a fresh single-use challenge.
 *     Only a process that knows the token can compute the proof; the client checks it and, if it
 *     does not match, sends nothing more (it opens the store itself instead).
 *  3. The query goes with `Authorization: Logpulse <challenge>:<HMAC(token, "query:" + challenge
 *     + ":" + sha256(body))>`: a MAC of this body for this one challenge, never the token.
 * Even a process that grabbed the port between steps 2 and 3 receives only a MAC it cannot reuse:
 * the challenge is forgotten by the endpoint once used or after CHALLENGE_TTL_MS.
 * `Bearer <token>` stays accepted for scripts run by the token's owner (curl).
 */

export const IDENTITY_PATH = '/identity';
export const AUTH_SCHEME = 'Logpulse';
const CHALLENGE_TTL_MS = 30_000;
/** Outstanding challenges kept at most; the oldest go first (every client asks for one). */
const MAX_CHALLENGES = 1_024;

function hmac(token: string, text: string): string {
  return createHmac('sha256', token).update(text).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function identityProof(token: string, nonce: string): string {
  return hmac(token, `identity:${nonce}`);
}

export function queryMac(token: string, challenge: string, body: string): string {
  return hmac(token, `query:${challenge}:${createHash('sha256').update(body).digest('hex')}`);
}

export function isIdentityProof(token: string, nonce: string, proof: string): boolean {
  return sameHex(identityProof(token, nonce), proof);
}

/** The endpoint's side: hands out challenges and checks the requests that use them. */
export class EndpointAuth {
  readonly #token: string;
  /** Challenge → when it expires (epoch ms); insertion order is age order. */
  readonly #challenges = new Map<string, number>();

  constructor(token: string) {
    this.#token = token;
  }

  /** The body of `GET /identity?nonce=`: the proof, then a challenge for one query. */
  identity(nonce: string, now = Date.now()): { proof: string; challenge: string } {
    for (const [challenge, expires] of this.#challenges) {
      if (expires > now && this.#challenges.size < MAX_CHALLENGES) break;
      this.#challenges.delete(challenge);
    }
    const challenge = newNonce();
    this.#challenges.set(challenge, now + CHALLENGE_TTL_MS);
    return { proof: identityProof(this.#token, nonce), challenge };
  }

  /** Whether an `Authorization` header may run `body`. A challenge is spent by its first use. */
  authorizes(header: string | undefined, body: string, now = Date.now()): boolean {
    if (header === undefined) return false;
    if (header.startsWith('Bearer ')) return sameHex(header.slice('Bearer '.length), this.#token);
    const match = new RegExp(`^${AUTH_SCHEME} ([0-9a-f]{32}):([0-9a-f]{64})$`).exec(header);
    if (match === null) return false;
    const [, challenge = '', mac = ''] = match;
    const expires = this.#challenges.get(challenge);
    if (expires === undefined) return false;
    this.#challenges.delete(challenge);
    return expires > now && sameHex(queryMac(this.#token, challenge, body), mac);
  }

  /** How many challenges are outstanding (bounded by MAX_CHALLENGES). */
  get outstanding(): number {
    return this.#challenges.size;
  }
}
