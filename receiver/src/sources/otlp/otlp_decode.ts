import type protobuf from 'protobufjs';
import { OtlpDecodeError } from './otlp_errors.js';
import { otlpTypes } from './otlp_proto.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** An attribute value as identity and source naming need it: strings and integers. */
export type AttributeValue = string | number | boolean | undefined;

export interface ShippedRecord {
  /** The record's body as text (a string body, or bytes read as UTF-8); undefined for other bodies. */
  body: string | undefined;
  attributes: ReadonlyMap<string, AttributeValue>;
}

export interface ShippedResource {
  attributes: ReadonlyMap<string, AttributeValue>;
  records: ShippedRecord[];
}

// The decoded messages, as far as they are read here. protobufjs gives int64 fields as Long.
interface LongLike { toString(): string }
interface AnyValueMessage {
  /** The oneof's set member ('stringValue', 'intValue'...): unset members read as their defaults. */
  value?: string;
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: number | LongLike | null;
  doubleValue?: number | null;
  bytesValue?: Uint8Array | null;
}
interface KeyValueMessage { key: string; value?: AnyValueMessage | null }
interface LogRecordMessage { body?: AnyValueMessage | null; attributes: KeyValueMessage[] }
interface RequestMessage {
  resourceLogs: Array<{
    resource?: { attributes: KeyValueMessage[] } | null;
    scopeLogs: Array<{ logRecords: LogRecordMessage[] }>;
  }>;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function attributeValue(value: AnyValueMessage | null | undefined): AttributeValue {
  switch (value?.value) {
    case 'stringValue': return value.stringValue ?? undefined;
    case 'intValue': return value.intValue === null || value.intValue === undefined ? undefined : Number(value.intValue.toString());
    case 'boolValue': return value.boolValue ?? undefined;
    case 'doubleValue': return value.doubleValue ?? undefined;
    default: return undefined;
  }
}

function attributes(list: readonly KeyValueMessage[] | undefined): Map<string, AttributeValue> {
  const map = new Map<string, AttributeValue>();
  for (const kv of list ?? []) map.set(kv.key, attributeValue(kv.value));
  return map;
}

function bodyText(body: AnyValueMessage | null | undefined): string | undefined {
  if (body?.value === 'stringValue') return body.stringValue ?? undefined;
  // The Collector's filelog receiver with `encoding: nop` ships the line's bytes.
  if (body?.value === 'bytesValue' && body.bytesValue) return Buffer.from(body.bytesValue).toString('utf8');
  return undefined;
}

/**
 * OTLP/JSON writes trace and span ids as hex, where the protobuf JSON mapping protobufjs follows
 * expects base64: they are turned into bytes before `fromObject`.
 */
function hexIdsToBytes(json: unknown): void {
  if (typeof json !== 'object' || json === null) return;
  const resourceLogs = (json as { resourceLogs?: unknown }).resourceLogs;
  if (!Array.isArray(resourceLogs)) return;
  for (const rl of resourceLogs) {
    const scopeLogs = (rl as { scopeLogs?: unknown } | null)?.scopeLogs;
    if (!Array.isArray(scopeLogs)) continue;
    for (const sl of scopeLogs) {
      const records = (sl as { logRecords?: unknown } | null)?.logRecords;
      if (!Array.isArray(records)) continue;
      for (const record of records as Array<Record<string, unknown> | null>) {
        if (typeof record !== 'object' || record === null) continue;
        for (const key of ['traceId', 'spanId']) {
          const id = record[key];
          if (typeof id !== 'string') continue;
          if (!HEX.test(id)) throw new OtlpDecodeError(`${key} ${JSON.stringify(id.slice(0, 40))} is not hex`);
          record[key] = Buffer.from(id, 'hex');
        }
      }
    }
  }
}

function toMessage(body: Buffer, encoding: OtlpEncoding): protobuf.Message {
  const { request } = otlpTypes();
  if (encoding === 'protobuf') {
    try {
      return request.decode(body);
    } catch (error) {
      throw new OtlpDecodeError(`decode ExportLogsServiceRequest (protobuf): ${(error as Error).message}`, { cause: error });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`decode ExportLogsServiceRequest (JSON): ${(error as Error).message}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new OtlpDecodeError('decode ExportLogsServiceRequest (JSON): expected an object');
  hexIdsToBytes(json);
  try {
    return request.fromObject(json as Record<string, unknown>);
  } catch (error) {
    throw new OtlpDecodeError(`decode ExportLogsServiceRequest (JSON): ${(error as Error).message}`, { cause: error });
  }
}

/** Decodes an export request body into its resources and their records (scopes flattened). */
export function decodeExportRequest(body: Buffer, encoding: OtlpEncoding): ShippedResource[] {
  const message = toMessage(body, encoding) as unknown as RequestMessage;
  return message.resourceLogs.map((rl) => ({
    attributes: attributes(rl.resource?.attributes),
    records: rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ body: bodyText(r.body), attributes: attributes(r.attributes) }))),
  }));
}
