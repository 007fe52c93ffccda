import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/cli/logger.js';
import { ConfigError, loadReceiverConfig, redactUrl } from '../../src/config/index.js';
import { openStore, serverTarget } from '../../src/clickhouse/index.js';
import { freePort as freeLoopbackPort } from '../engines/clickhouse_server.js';

const PASSWORD = 's3cret-pw';
const MISTYPED = [
  `htp://u:${PASSWORD}@host:8123`,
  `http://u:${PASSWORD}@host:notaport`,
  `htp://host:8123/?user=u&password=${PASSWORD}`,
  `u:${PASSWORD}@host:8123`,
  `http//u:${PASSWORD}@host:8123`,
];

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return `${String(error)} ${JSON.stringify(error)}`;
  }
  throw new Error('expected an error');
}

describe('no password in any message', () => {
  it.each(MISTYPED)('keeps the password of a mistyped --clickhouse-url out of the validation error: %s', (url) => {
    const text = errorOf(() => loadReceiverConfig({ flags: { paths: ['x.log'], clickhouse_url: url }, env: {} }));
    expect(text).toContain('--clickhouse-url');
    expect(text).not.toContain(PASSWORD);
  });

  it.each(MISTYPED)('and out of the store error of the same URL: %s', (url) => {
    expect(errorOf(() => serverTarget(url, {}))).not.toContain(PASSWORD);
  });

  it('keeps it out of config errors from the environment and the OTLP endpoint', () => {
    const fromEnv = errorOf(() => loadReceiverConfig({ flags: { paths: ['x.log'] }, env: { LOGPULSE_CLICKHOUSE_URL: MISTYPED[0] } }));
    expect(fromEnv).toContain('LOGPULSE_CLICKHOUSE_URL');
    expect(fromEnv).not.toContain(PASSWORD);
    expect(errorOf(() => loadReceiverConfig({ flags: { paths: ['x.log'], otlp_metrics_endpoint: `ftp://u:${PASSWORD}@otel:4318` }, env: {} }))).not.toContain(PASSWORD);
    expect(() => loadReceiverConfig({ flags: { paths: ['x.log'], clickhouse_url: MISTYPED[0] }, env: {} })).toThrow(ConfigError);
  });

  it('names the server without a password in the query string either', () => {
    const target = serverTarget(`http://u:${PASSWORD}@clickhouse:8123/?password=${PASSWORD}&database=logpulse`, {});
    expect(target.password).toBe(PASSWORD);
    expect(target.display).not.toContain(PASSWORD);
    expect(target.display).toContain('database=logpulse');
  });

  it('never prints CLICKHOUSE_PASSWORD from the environment', async () => {
    const env = { CLICKHOUSE_USER: 'u', CLICKHOUSE_PASSWORD: 'env-s3cret' };
    const port = await freeLoopbackPort();
    const failure = await openStore({ url: `http://127.0.0.1:${port}/`, dataDir: '/nonexistent', env, requestTimeoutMs: 2_000 }).then(
      () => 'connected',
      (error: unknown) => String(error),
    );
    expect(failure).toMatch(/StoreConnectError/);
    expect(failure).not.toContain('env-s3cret');
    expect(errorOf(() => serverTarget('htp://u:env-s3cret@host', env))).not.toContain('env-s3cret');
    expect(redactUrl('auth failed for p@ss word-9 and p%40ss%20word-9', ['p@ss word-9'])).toBe('auth failed for *** and ***');
  });

  it('keeps it out of the log, in fields, errors and messages', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'logpulse-redact-')), 'logpulse.log');
    const logger = createLogger('info', file);
    logger.warn({ target: MISTYPED[1], err: new Error(`connect ${MISTYPED[2]}`), nested: { url: MISTYPED[0] } }, `retrying ${MISTYPED[1]}`);
    logger.info(`store at %s`, MISTYPED[0]);
    logger.flush();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('host:notaport');
    expect(text).not.toContain(PASSWORD);
  });

  it('leaves text without credentials as it was', () => {
    for (const text of ['connect ECONNREFUSED 127.0.0.1:8123', 'http://clickhouse:8123/', 'http://u@clickhouse:8123/db', 'at 12:30:01 the rows']) {
      expect(redactUrl(text, [])).toBe(text);
    }
  });
});
