import { request } from 'node:http';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import type { EventSink } from '../../../src/pipeline/consumer.js';
import { noopTelemetry } from '../../../src/model/telemetry.js';
import type { ReceiverTelemetry } from '../../../src/model/telemetry.js';
import { OtlpSource } from '../../../src/sources/otlp/index.js';
import type { OtlpSourceOptions } from '../../../src/sources/otlp/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One POST on loopback, answered or failed; `body` may be written in pieces by `write`. */
export function post(url: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An OTLP endpoint on a free loopback port in front of a real pipeline into `sink`. */
export async function startEndpoint(sink: EventSink, options: Partial<OtlpSourceOptions> = {}, telemetry: ReceiverTelemetry = noopTelemetry): Promise<OtlpSource> {
  const pipeline = new Pipeline({ sink, consumers: [], telemetry });
  const source = new OtlpSource({ port: 0, host: '127.0.0.1', ...options }, pipeline.handle, telemetry);
  await source.start();
  return source;
}

export const ACCESS_LINE = (i: number): string =>
  `192.0.2.${i % 250} - - [06/Mar/2024:08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /pages/${i} HTTP/1.1" 200 ${100 + i} "-" "curl/8.5.0"`;

/** A JSON export request of `lines` from `host`, optionally with per-record attributes. */
export function jsonRequest(host: string, lines: readonly string[], attributes: (i: number) => Array<{ key: string; value: Record<string, unknown> }> = () => []): Buffer {
  return Buffer.from(JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: 'host.name', value: { stringValue: host } }] },
      scopeLogs: [{ scope: {}, logRecords: lines.map((line, i) => ({ body: { stringValue: line }, attributes: attributes(i) })) }],
    }],
  }));
}
