import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { RawLine } from '../src/model/line_batch.js';
import { encodeBatch } from '../src/ship/otlp_log_encoder.js';
import { BenchError } from './bench_error.js';
import { CentralReceiver } from './central_receiver.js';

export interface IngestFigure {
  lines: number;
  seconds: number;
  requests: number;
  clients: number;
  storedRows: number;
}

/** Lines per request: what `logpulse ship` sends by default (--batch-lines). */
const LINES_PER_REQUEST = 4096;

/**
 * Lines/s through `POST /v1/logs` on loopback into a central receiver with the embedded engine:
 * the file is cut into requests as the agent makes them (protobuf + gzip, file id and offsets),
 * encoded before the clock starts, then `clients` concurrent clients post them over kept-alive
 * connections; a request counts once answered 200, which the receiver sends only after ClickHouse
 * stored its lines. The time runs from the first post to the last 200.
 */
export async function benchOtlpIngest(file: string, lines: number, dir: string, clients = 10): Promise<IngestFigure> {
  const text = await readFile(file, 'utf8');
  const bodies: Buffer[] = [];
  let batch: RawLine[] = [];
  let offset = 0;
  const fileId = '5eed0123456789ab';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    batch.push({ offset, text: line });
    offset += Buffer.byteLength(line) + 1;
    if (batch.length === LINES_PER_REQUEST) {
      bodies.push((await encodeBatch({ source: 'bench', file, fileId, lines: batch, ack: () => {} }, 'bench')).body);
      batch = [];
    }
  }
  if (batch.length > 0) bodies.push((await encodeBatch({ source: 'bench', file, fileId, lines: batch, ack: () => {} }, 'bench')).body);

  const receiver = await CentralReceiver.start('otlp ingest', path.join(dir, 'central-ingest'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(receiver.logsUrl, { method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip', 'Content-Length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    let next = 0;
    let refused = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as Buffer;
          // A 429/503 is the receiver pushing back: the client waits a little and sends again, as exporters do.
          for (let status = await post(body); status !== 200; status = await post(body)) {
            if (status !== 429 && status !== 503) throw new BenchError('otlp ingest', `POST /v1/logs answered ${status}`);
            refused++;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const storedRows = await receiver.queryNumber('SELECT count() FROM logpulse.events FINAL');
    if (storedRows !== lines) throw new BenchError('otlp ingest', `${storedRows} rows stored of ${lines} lines sent (${refused} requests pushed back and resent)`);
    return { lines, seconds, requests: bodies.length, clients, storedRows };
  } finally {
    agent.destroy();
    await receiver.stop();
  }
}
