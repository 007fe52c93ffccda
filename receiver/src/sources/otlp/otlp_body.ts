import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { OtlpRequestError, RpcCode } from './otlp_errors.js';

const gunzipAsync = promisify(gunzip);

/** The client went away before its body was complete: nothing to answer. */
export class ClientGoneError extends Error {
  constructor(options?: ErrorOptions) {
    super('otlp: client closed the connection before the body was complete', options);
    this.name = 'ClientGoneError';
  }
}

function tooLarge(what: string, max: number): OtlpRequestError {
  return new OtlpRequestError(413, RpcCode.RESOURCE_EXHAUSTED, `otlp: ${what} exceeds the limit of ${max} bytes`);
}

/** Reads the request body, refusing (413) one whose declared or actual length passes `maxBytes`. */
async function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge('request body', maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge('request body', maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OtlpRequestError) throw error;
    throw new ClientGoneError({ cause: error });
  }
  // An aborted request can end the iteration without an error on some node versions.
  if (!req.complete) throw new ClientGoneError();
  return Buffer.concat(chunks, size);
}

/**
 * The request's body, gunzipped when it says `Content-Encoding: gzip`. Decompression stops as
 * soon as the output passes `maxBytes` (zlib's maxOutputLength), so a gzip bomb costs at most
 * that much memory before its 413.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new OtlpRequestError(415, RpcCode.UNIMPLEMENTED, `otlp: Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported; expected gzip or none`);
  }
  const raw = await readRaw(req, maxBytes);
  if (encoding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('decompressed body', maxBytes);
    throw new OtlpRequestError(400, RpcCode.INVALID_ARGUMENT, `otlp: gunzip request body: ${(error as Error).message}`, undefined, { cause: error });
  }
}
