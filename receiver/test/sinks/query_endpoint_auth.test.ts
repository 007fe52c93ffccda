import { describe, expect, it } from 'vitest';
import { EndpointAuth, isIdentityProof, newNonce, queryMac } from '../../src/query/query_endpoint_auth.js';

const token = 'f00dfeed'.repeat(6);
const body = JSON.stringify({ query: 'SELECT 1', params: {}, format: 'TSV' });

describe('query endpoint authentication', () => {
  it('proves the token to a client without sending it', () => {
    const auth = new EndpointAuth(token);
    const nonce = newNonce();
    const { proof, challenge } = auth.identity(nonce);
    expect(isIdentityProof(token, nonce, proof)).toBe(true);
    expect(isIdentityProof('another-token', nonce, proof)).toBe(false);
    expect(isIdentityProof(token, newNonce(), proof)).toBe(false);
    expect(`${proof}${challenge}`).not.toContain(token);
  });

  it('runs a body once per challenge, and only the body the MAC covers', () => {
    const auth = new EndpointAuth(token);
    const { challenge } = auth.identity(newNonce());
    const header = `Logpulse ${challenge}:${queryMac(token, challenge, body)}`;
    expect(auth.authorizes(header, body.replace('SELECT 1', 'SELECT 2'))).toBe(false);
    // The failed try spent the challenge: a replay of the right body is refused too.
    expect(auth.authorizes(header, body)).toBe(false);
    const next = auth.identity(newNonce()).challenge;
    const good = `Logpulse ${next}:${queryMac(token, next, body)}`;
    expect(auth.authorizes(good, body)).toBe(true);
    expect(auth.authorizes(good, body)).toBe(false);
  });

  it('forgets challenges after 30 s and keeps at most 1024', () => {
    const auth = new EndpointAuth(token);
    const { challenge } = auth.identity(newNonce(), 0);
    expect(auth.authorizes(`Logpulse ${challenge}:${queryMac(token, challenge, body)}`, body, 30_001)).toBe(false);
    for (let i = 0; i < 5_000; i++) auth.identity(newNonce(), 1_000);
    expect(auth.outstanding).toBeLessThanOrEqual(1_024);
    auth.identity(newNonce(), 100_000);
    expect(auth.outstanding).toBe(1);
  });

  it('still takes the bearer token its owner reads from query.port, and nothing else', () => {
    const auth = new EndpointAuth(token);
    expect(auth.authorizes(`Bearer ${token}`, body)).toBe(true);
    expect(auth.authorizes('Bearer nope', body)).toBe(false);
    expect(auth.authorizes(undefined, body)).toBe(false);
    expect(auth.authorizes(`Logpulse ${'0'.repeat(32)}:${'0'.repeat(64)}`, body)).toBe(false);
  });
});
