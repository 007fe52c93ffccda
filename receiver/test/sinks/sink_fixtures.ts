import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event } from '../../src/model/event.js';
import { eventIdAt, fileKey } from '../../src/pipeline/event_id.js';
import type { SinkOutcome } from '../../src/model/telemetry.js';
import { noopTelemetry, type ReceiverTelemetry } from '../../src/model/telemetry.js';
import type { SinkLogger } from '../../src/sinks/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/sinks/', import.meta.url));

/** The id a tailer gives the line at `offset` of `file` on `source`. */
export function idOf(source: string, file: string, offset: number): bigint {
  return eventIdAt(fileKey(`${source}:${file}`), offset);
}

/** The fixture events (nginx access lines, web-1's logged with `$host` first, and SFTPGo transfers), with their line hashes. */
export function fixtureEvents(): Event[] {
  return readFileSync(join(FIXTURES, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      // Fixture lines written before the vhost column have none.
      const fields = JSON.parse(line) as Omit<Event, 'eventId' | 'vhost'> & { vhost?: string };
      return { ...fields, vhost: fields.vhost ?? '', eventId: idOf(fields.source, fields.file, fields.offset) };
    });
}

/** An access-log event at `offset`; every field can be overridden. */
export function accessEvent(offset: number, overrides: Partial<Event> = {}): Event {
  const ts = Date.UTC(2024, 2, 6, 8, 0, 0) + offset;
  const raw = `192.0.2.1 - - [06/Mar/2024:08:00:00 +0000] "GET /pages/${offset} HTTP/1.1" 200 512 "-" "curl/8.5.0"`;
  return {
    kind: 'http', ts, receivedAt: ts + 5, source: 'web-9', file: '/var/log/nginx/access.log', offset,
    vhost: '', client: '192.0.2.1', user: '', method: 'GET', path: `/pages/${offset}`, section: '/pages', status: 200,
    protocol: 'HTTP/1.1', bytes: 512, referer: '', userAgent: 'curl/8.5.0', direction: '', durationMs: 0, raw,
    eventId: idOf('web-9', '/var/log/nginx/access.log', offset),
    ...overrides,
  };
}

export function accessEvents(count: number, firstOffset = 0): Event[] {
  return Array.from({ length: count }, (_, i) => accessEvent(firstOffset + i * 100));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `logpulse-${prefix}-`));
}

/** Keeps every log line, so tests can check what an operator would read. */
export class RecordingLogger implements SinkLogger {
  readonly lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', message, fields });
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** Sums the sink's telemetry. */
export class RecordingTelemetry implements ReceiverTelemetry {
  readonly rows: Record<SinkOutcome, number> = { written: 0, retried: 0, failed: 0 };
  queueRows = 0;
  linesRead = noopTelemetry.linesRead;
  linesProcessed = noopTelemetry.linesProcessed;
  invalidLine = noopTelemetry.invalidLine;
  otlpRequest = noopTelemetry.otlpRequest;
  otlpRecords = noopTelemetry.otlpRecords;
  syslogMessages = noopTelemetry.syslogMessages;
  syslogConnection = noopTelemetry.syslogConnection;
  fileSkipped = noopTelemetry.fileSkipped;
  futureEvents = noopTelemetry.futureEvents;
  pathUnreadable = noopTelemetry.pathUnreadable;
  checkpointsEvicted = noopTelemetry.checkpointsEvicted;
  sinkRows(outcome: SinkOutcome, count: number): void {
    this.rows[outcome] += count;
  }
  sinkQueueRows(rows: number): void {
    this.queueRows = rows;
  }
}

/** Rows of a JSONEachRow answer. */
export function jsonRows(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}
