import type { OtlpEncoding } from './otlp_decode.js';
import { otlpTypes } from './otlp_proto.js';

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * The body of a 200: an ExportLogsServiceResponse, with `partial_success` only when records were
 * rejected (the specification asks to leave it unset on full success).
 */
export function exportResponse(encoding: OtlpEncoding, rejected: number, errorMessage: string): Buffer {
  if (encoding === 'json') {
    // Proto3 JSON mapping: lowerCamelCase keys, int64 as a decimal string.
    const body = rejected > 0 ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const { response } = otlpTypes();
  const message = response.fromObject(rejected > 0 ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage } } : {});
  return Buffer.from(response.encode(message).finish());
}

/** The body of a refusal: a google.rpc.Status in the request's encoding. */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const { status } = otlpTypes();
  return Buffer.from(status.encode(status.fromObject({ code, message })).finish());
}
