import { describe, expect, it } from 'vitest';
import { runLogpulse } from './logpulse_process.js';

/** `logpulse ship` refuses what cannot work at start-up, with the option's name and exit code 2. */
describe('logpulse ship on the command line', () => {
  it('needs --to, and says so', async () => {
    const result = await runLogpulse(['ship', '/var/log/nginx/access.log']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--to <url>' not specified");
  });

  it('refuses an endpoint that is not http(s) or carries credentials, without quoting them', async () => {
    const ftp = await runLogpulse(['ship', '--to', 'ftp://central:4318', '/var/log/nginx/access.log']);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('logpulse: --to: expected an http:// or https:// URL, got the scheme "ftp:"');
    const secret = await runLogpulse(['ship', '--to', 'http://ops:hunter2@central:4318', '/var/log/nginx/access.log']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('--to: credentials in the URL are not sent');
    expect(secret.stderr).not.toContain('hunter2');
  });

  it('refuses a count that is not a whole number, or too small, naming the option', async () => {
    const text = await runLogpulse(['ship', '--to', 'http://127.0.0.1:4318', '--batch-lines', 'many', '/var/log/nginx/access.log']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('--batch-lines: expected a whole number, got "many"');
    const zero = await runLogpulse(['ship', '--to', 'http://127.0.0.1:4318', '--max-in-flight', '0', '/var/log/nginx/access.log']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('logpulse: --max-in-flight: expected a whole number of at least 1, got 0');
  });

  it('lists its options in --help', async () => {
    const result = await runLogpulse(['ship', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--to <url>', '--source', '--data-dir', '--token', '--metrics-port', '--max-in-flight', '--status']) expect(result.stdout).toContain(flag);
  });
});
