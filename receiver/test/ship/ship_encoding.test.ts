import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { eventIdAt, fileKey } from '../../src/pipeline/event_id.js';
import type { LineBatch } from '../../src/model/line_batch.js';
import { decodeExportRequest, RequestIdentities, resourceSource } from '../../src/sources/otlp/index.js';
import { backoffMs, encodeBatch, endpointUrl, parseRetryAfter, resolveShipOptions, retryDelayMs, ShipOptionError } from '../../src/ship/index.js';

/** Lines as a tail reads them from a real nginx log: a TLS handshake, a 408 without request, a non-ASCII path. */
const LINES = [
  '203.0.113.5 - - [06/Mar/2024:08:00:00 +0000] "GET /pages/create HTTP/1.1" 200 512 "-" "curl/8.5.0"',
  '198.51.100.7 - - [06/Mar/2024:08:00:01 +0000] "\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03" 400 157 "-" "-"',
  '192.0.2.1 - - [06/Mar/2024:08:00:02 +0000] "-" 408 0 "-" "-"',
  '192.0.2.9 - bob [06/Mar/2024:08:00:03 +0000] "GET /caf\u00e9/men\u00fc HTTP/2.0" 200 9 "-" "Mozilla/5.0"',
];

function batchOf(fileId: string, file: string): LineBatch {
  let offset = 0;
  const lines = LINES.map((text) => {
    const line = { offset, text };
    offset += Buffer.byteLength(text) + 1;
    return line;
  });
  return { source: 'web-1', file, fileId, lines, ack: () => {} };
}

describe('the agent\'s export requests', () => {
  it('decode with the receiver\'s decoder into the host, the raw lines and the ids a local tail gives', async () => {
    const batch = batchOf('9f86d081884c7d65', '/var/log/nginx/access.log');
    const encoded = await encodeBatch(batch, 'web-1');
    expect(encoded.lines).toBe(4);
    expect(encoded.fileBytes).toBe(LINES.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0));
    const [resource, ...others] = decodeExportRequest(gunzipSync(encoded.body), 'protobuf');
    expect(others).toHaveLength(0);
    expect(resourceSource(resource!.attributes)).toBe('web-1');
    const identities = new RequestIdentities('web-1');
    const key = fileKey(batch.fileId);
    resource!.records.forEach((record, i) => {
      expect(record.body).toBe(LINES[i]);
      const identity = identities.identify(record.attributes, record.body!);
      expect(identity).toMatchObject({ kind: 'agent', file: '/var/log/nginx/access.log', offset: batch.lines[i]!.offset });
      expect((identity as { eventId: bigint }).eventId).toBe(eventIdAt(key, batch.lines[i]!.offset));
    });
  });

  it('carry a taken file id (with its -n suffix) and offsets past 2^32 unchanged', async () => {
    const batch = batchOf('0123456789abcdef-2', '/srv/sftpgo/logs/sftpgo.log');
    for (const line of batch.lines) line.offset += 5_000_000_000;
    const [resource] = decodeExportRequest(gunzipSync((await encodeBatch(batch, 'sftp-1')).body), 'protobuf');
    const identity = new RequestIdentities('sftp-1').identify(resource!.records[3]!.attributes, LINES[3]!);
    expect(identity).toMatchObject({ kind: 'agent', fileId: '0123456789abcdef-2', offset: batch.lines[3]!.offset });
  });

  it('are gzip\'d several times smaller than the lines', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => ({ offset: i * 120, text: `${LINES[i % 4]!} ${i}` }));
    const encoded = await encodeBatch({ source: 'web-1', file: '/a.log', fileId: '9f86d081884c7d65', lines, ack: () => {} }, 'web-1');
    expect(encoded.body.length * 4).toBeLessThan(encoded.fileBytes);
  });
});

describe('retries', () => {
  const schedule = { initialMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

  it('back off exponentially with jitter between half and all of the delay, capped', () => {
    expect(backoffMs(0, { ...schedule, random: () => 0 })).toBe(250);
    expect(backoffMs(0, { ...schedule, random: () => 0.999999 })).toBe(500);
    expect(backoffMs(3, { ...schedule, random: () => 0 })).toBe(2000);
    expect(backoffMs(40, { ...schedule, random: () => 0.999999 })).toBe(30_000);
  });

  it('wait what Retry-After asks (seconds or an HTTP date), within the bound', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-03-06T08:00:00Z');
    expect(parseRetryAfter('Fri, 06 Mar 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(retryDelayMs(0, 7000, schedule)).toBe(7000);
    expect(retryDelayMs(0, 86_400_000, schedule)).toBe(300_000);
  });
});

describe('ship options', () => {
  it('add /v1/logs to an endpoint without a path and keep a given path', () => {
    expect(endpointUrl('http://central:4318').href).toBe('http://central:4318/v1/logs');
    expect(endpointUrl('https://logs.example.org/ingest/v1/logs').pathname).toBe('/ingest/v1/logs');
  });

  it('refuse a URL with credentials without quoting them', () => {
    expect(() => endpointUrl('http://user:s3cret@central:4318')).toThrow(ShipOptionError);
    expect(() => endpointUrl('http://user:s3cret@central:4318')).not.toThrow(/s3cret/);
    expect(() => endpointUrl('ftp://central')).toThrow('--to: expected an http:// or https:// URL, got the scheme "ftp:"');
  });

  it('take the token from LOGPULSE_SHIP_TOKEN when no flag gives one', () => {
    expect(resolveShipOptions({ to: 'http://c:4318', paths: ['/var/log/a.log'] }, { LOGPULSE_SHIP_TOKEN: 't0k' }).token).toBe('t0k');
    expect(resolveShipOptions({ to: 'http://c:4318', paths: ['/var/log/a.log'], token: 'flag' }, { LOGPULSE_SHIP_TOKEN: 't0k' }).token).toBe('flag');
    expect(resolveShipOptions({ to: 'http://c:4318', paths: ['/var/log/a.log'] }, {}).token).toBeUndefined();
    expect(() => resolveShipOptions({ to: 'http://c:4318', paths: [] }, {})).toThrow('PATH: expected at least one file');
  });
});

describe('the agent\'s import graph', () => {
  it('reaches neither the ClickHouse engine nor the terminal UI', () => {
    // Static imports from the ship command and the ship folder, followed through the sources.
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (url: URL): void => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const text = readFileSync(url, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)) {
        const spec = match[1] ?? match[2]!;
        if (spec.startsWith('.')) visit(new URL(spec.replace(/\.js$/, '.ts'), url));
        else external.add(spec.replace(/^(@[^/]+\/[^/]+|[^@/][^/]*).*$/, '$1'));
      }
    };
    visit(new URL('../../src/cli/ship_command.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((file) => file.endsWith('/sources/file/file_source.ts'))).toBe(true);
    for (const heavy of ['chdb', '@clickhouse/client', 'ink', 'react']) expect([...external]).not.toContain(heavy);
    expect([...seen].filter((file) => /\/(sinks|ui|clickhouse|parsers|pipeline\/pipeline)\b/.test(file))).toEqual([]);
  });
});
