import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { LineBatch, RawLine } from '../../src/model/line_batch.js';
import type { LineOutcome, ReceiverTelemetry } from '../../src/model/telemetry.js';
import { ClickHouseSink } from '../../src/sinks/index.js';

const LINE = '203.0.113.7 - alice [22/Nov/2026:10:00:00 +0000] "GET /pages/create?id=3 HTTP/1.1" 200 5123 "-" "curl/8.5.0"';

/** Counts what the pipeline reports, as the metrics module would. */
class CountingTelemetry implements ReceiverTelemetry {
  readonly outcomes: Record<string, number> = {};
  readonly reasons: string[] = [];
  linesRead(): void {}
  readonly skippedFiles: string[] = [];
  linesProcessed(_source: string, outcome: LineOutcome, count: number): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + count;
  }
  invalidLine(_s: string, _f: string, _o: number, reason: string): void {
    this.reasons.push(reason);
  }
  fileSkipped(source: string, file: string, reason: string): void {
    this.skippedFiles.push(`${source} ${file}: ${reason}`);
  }
  sinkRows(): void {}
  sinkQueueRows(): void {}
  otlpRequest(): void {}
  otlpRecords(): void {}
  futureEvents(): void {}
  pathUnreadable(): void {}
  checkpointsEvicted(): void {}
  syslogMessages(): void {}
  syslogConnection(): void {}
}

function batch(lines: RawLine[], fileId = 'f1', file = '/var/log/nginx/access.log'): LineBatch {
  return { source: 'web-1', file, fileId, lines, ack: () => {} };
}

function pipeline(telemetry = new CountingTelemetry(), format: 'auto' | 'combined' = 'auto'): Pipeline {
  // parse() never reaches the sink; a real one is given, never started.
  const sink = new ClickHouseSink({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'logpulse-pipeline-')) });
  return new Pipeline({ sink, consumers: [], telemetry, now: () => 1_000, format });
}

const NGINX_ERRORS = [
  '2024/03/06 08:00:00 [error] 1234#1234: *1 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 192.0.2.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost"',
  '2024/03/06 08:00:01 [warn] 1234#1234: *2 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream',
  '2024/03/06 08:00:02 [crit] 1234#1234: *3 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 198.51.100.9, server: 0.0.0.0:443',
];

describe('pipeline parsing', () => {
  it('gives the same bytes read twice the same event id, and identical lines at other offsets other ids', async () => {
    const p = pipeline();
    const first = await p.parse(batch([{ offset: 0, text: LINE }, { offset: 120, text: LINE }]));
    const again = await pipeline().parse(batch([{ offset: 120, text: LINE }]));
    expect(first).toHaveLength(2);
    expect(first[0]?.eventId).not.toBe(first[1]?.eventId);
    expect(again[0]?.eventId).toBe(first[1]?.eventId);
    expect(first[0]).toMatchObject({ source: 'web-1', file: '/var/log/nginx/access.log', offset: 0, section: '/pages', user: 'alice', bytes: 5123, receivedAt: 1_000, raw: LINE });
  });

  it('keeps two identical offset-less lines as two events with ids stable across a retry', async () => {
    const lines = [{ offset: -1, position: 0, text: LINE }, { offset: -1, position: LINE.length + 1, text: LINE }];
    const a = await pipeline().parse(batch(lines, 'stdin:web-1', ''));
    const b = await pipeline().parse(batch(lines, 'stdin:web-1', ''));
    expect(a.map((e) => e.eventId)).toEqual(b.map((e) => e.eventId));
    expect(new Set(a.map((e) => e.eventId)).size).toBe(2);
  });

  it('counts parsed, invalid and truncated lines and keeps the good lines around a bad one', async () => {
    const telemetry = new CountingTelemetry();
    const events = await pipeline(telemetry).parse(
      batch([
        { offset: 0, text: LINE },
        { offset: 120, text: 'garbage that is no access log line' },
        { offset: 160, text: LINE.slice(0, 60), truncated: true },
        { offset: 300, text: LINE },
      ]),
    );
    expect(events.map((e) => e.offset)).toEqual([0, 300]);
    expect(telemetry.outcomes).toEqual({ parsed: 2, invalid: 2, truncated: 1 });
    expect(telemetry.reasons).toHaveLength(2);
  });

  it('primes the parser of a W3C file resumed mid-file with its #Fields header', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logpulse-w3c-'));
    const file = path.join(dir, 'u_ex261122.log');
    const header = '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes\n';
    const row = '2026-11-22 10:00:00 192.0.2.1 GET /pages/a 200 512';
    writeFileSync(file, `${header}${row}\n${row}\n`);
    const events = await pipeline().parse(batch([{ offset: header.length + row.length + 1, text: row }], 'w3c-file', file));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ client: '192.0.2.1', section: '/pages', status: 200, bytes: 512, ts: Date.UTC(2026, 10, 22, 10) });
  });

  it('refuses lines dated before 1970 or after 2199 as invalid with a true reason, and keeps the years between', async () => {
    const telemetry = new CountingTelemetry();
    const at = (stamp: string): string => LINE.replace('22/Nov/2026:10:00:00 +0000', stamp);
    const events = await pipeline(telemetry).parse(
      batch([
        // A clock at the epoch in a zone east of UTC: 1969 once converted.
        { offset: 0, text: at('01/Jan/1970:00:30:00 +0100') },
        { offset: 200, text: at('01/Jan/1970:00:00:00 +0000') },
        { offset: 400, text: at('01/Jan/2090:00:00:00 +0000') },
        { offset: 600, text: at('31/Dec/2199:23:59:59 +0000') },
        { offset: 800, text: at('01/Jan/2200:00:00:00 +0000') },
        { offset: 1000, text: at('07/Mar/2350:12:00:00 +0000') },
      ]),
    );
    expect(events.map((e) => new Date(e.ts).toISOString())).toEqual(['1970-01-01T00:00:00.000Z', '2090-01-01T00:00:00.000Z', '2199-12-31T23:59:59.000Z']);
    expect(telemetry.outcomes).toEqual({ parsed: 3, invalid: 3 });
    expect(telemetry.reasons).toEqual(Array(3).fill('timestamp out of range (1970 to 2199)'));
  });

  it('skips an error log as a whole with one notice naming the file, and counts none of its lines', async () => {
    const telemetry = new CountingTelemetry();
    const p = pipeline(telemetry);
    const lines = NGINX_ERRORS.map((text, i) => ({ offset: i * 300, text }));
    expect(await p.parse(batch(lines.slice(0, 2), 'err', '/var/log/nginx/error.log'))).toEqual([]);
    expect(await p.parse(batch(lines.slice(2), 'err', '/var/log/nginx/error.log'))).toEqual([]);
    expect(telemetry.skippedFiles).toEqual(['web-1 /var/log/nginx/error.log: nginx error log, not an access or transfer log']);
    expect(telemetry.outcomes).toEqual({});
    expect(telemetry.reasons).toEqual([]);
  });

  it('gives up on a file after 20 lines of no known shape, and on no stream without a file', async () => {
    const telemetry = new CountingTelemetry();
    const junk = Array.from({ length: 30 }, (_, i) => ({ offset: i * 40, text: `just some notes, line ${i}` }));
    expect(await pipeline(telemetry).parse(batch(junk, 'notes', '/var/log/app/notes.txt'))).toEqual([]);
    expect(telemetry.outcomes).toEqual({ invalid: 19 });
    expect(telemetry.skippedFiles).toEqual(['web-1 /var/log/app/notes.txt: no known log format in its first 20 lines']);
    const stdin = new CountingTelemetry();
    await pipeline(stdin).parse(batch(junk.map((line) => ({ ...line, offset: -1 })), 'stdin:web-1', ''));
    expect(stdin.outcomes).toEqual({ invalid: 30 });
    expect(stdin.skippedFiles).toEqual([]);
  });

  it('never skips a file whose format is forced', async () => {
    const telemetry = new CountingTelemetry();
    await pipeline(telemetry, 'combined').parse(batch(NGINX_ERRORS.map((text, i) => ({ offset: i * 300, text })), 'err', '/var/log/nginx/error.log'));
    expect(telemetry.skippedFiles).toEqual([]);
    expect(telemetry.outcomes).toEqual({ invalid: 3 });
  });

  it('gives the notice for an error log resumed mid-file, whose first line decided it while priming', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logpulse-error-log-'));
    const file = path.join(dir, 'error.log');
    writeFileSync(file, `${NGINX_ERRORS.join('\n')}\n`);
    const telemetry = new CountingTelemetry();
    const offset = (NGINX_ERRORS[0]?.length ?? 0) + 1;
    await pipeline(telemetry).parse(batch([{ offset, text: NGINX_ERRORS[1] ?? '' }], 'err-resumed', file));
    expect(telemetry.skippedFiles).toEqual([`web-1 ${file}: nginx error log, not an access or transfer log`]);
    expect(telemetry.outcomes).toEqual({});
  });
});
