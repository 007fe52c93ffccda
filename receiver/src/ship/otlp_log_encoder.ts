import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { LineBatch } from '../model/line_batch.js';
import { otlpTypes } from '../sources/otlp/otlp_proto.js';
import { ATTR_FILE_FINGERPRINT, ATTR_FILE_OFFSET, ATTR_FILE_PATH } from '../sources/otlp/otlp_identity.js';

const gzipAsync = promisify(gzip);

/** The instrumentation scope of every record the agent sends. */
const SCOPE = { name: 'logpulse.ship' };

export interface EncodedBatch {
  /** The gzip'd ExportLogsServiceRequest. */
  body: Buffer;
  lines: number;
  /** Bytes of the lines in their file (each with its line end), for the lag. */
  fileBytes: number;
}

/**
 * Turns one batch of a tailed file into an OTLP/HTTP export request, with the very protobufjs
 * definitions the receiver decodes with: resource `host.name` = the agent's source, each record's
 * body the raw line, and its attributes the file's identity and the line's byte offset
 * (`logpulse.file.fingerprint`, `logpulse.file.offset`) plus `log.file.path`, so that the receiver
 * gives each line the id a local tail of the file would. Time fields stay 0 ("unknown"): the
 * line's own time is in the line. gzip at its fastest level: log lines still shrink about 8 times,
 * for a fraction of the CPU of the default level.
 */
export async function encodeBatch(batch: LineBatch, source: string): Promise<EncodedBatch> {
  const { request } = otlpTypes();
  let fileBytes = 0;
  const fingerprint = { key: ATTR_FILE_FINGERPRINT, value: { stringValue: batch.fileId } };
  const path = { key: ATTR_FILE_PATH, value: { stringValue: batch.file } };
  const logRecords = batch.lines.map((line) => {
    fileBytes += Buffer.byteLength(line.text) + 1;
    return {
      body: { stringValue: line.text },
      attributes: [fingerprint, { key: ATTR_FILE_OFFSET, value: { intValue: line.offset } }, path],
    };
  });
  const message = {
    resourceLogs: [{ resource: { attributes: [{ key: 'host.name', value: { stringValue: source } }] }, scopeLogs: [{ scope: SCOPE, logRecords }] }],
  };
  const raw = request.encode(message).finish();
  const body = await gzipAsync(raw, { level: 1 });
  return { body, lines: batch.lines.length, fileBytes };
}

/** `partial_success.rejected_log_records` of an ExportLogsServiceResponse (protobuf), 0 when none or unreadable. */
export function rejectedRecords(response: Buffer): number {
  if (response.length === 0) return 0;
  try {
    const decoded = otlpTypes().response.decode(response) as unknown as { partialSuccess?: { rejectedLogRecords?: { toString(): string } | number } | null };
    const rejected = decoded.partialSuccess?.rejectedLogRecords;
    return rejected === undefined ? 0 : Number(rejected.toString());
  } catch {
    // A 2xx body we cannot read still means "stored": the count is only for the operator.
    return 0;
  }
}

/** The `message` of a google.rpc.Status error body (protobuf), for the status line; '' when unreadable. */
export function statusMessage(body: Buffer): string {
  if (body.length === 0) return '';
  try {
    const decoded = otlpTypes().status.decode(body) as unknown as { message?: string };
    return decoded.message ?? '';
  } catch {
    return body.subarray(0, 200).toString('utf8');
  }
}
