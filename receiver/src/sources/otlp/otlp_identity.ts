import { createHash } from 'node:crypto';
import { eventIdAt, eventIdForContent, FileKeyCache } from '../../pipeline/event_id.js';
import type { AttributeValue } from './otlp_decode.js';

/** Attributes `logpulse ship` puts on every record: the file's identity as a local tail knows it, and the line's byte offset. */
export const ATTR_FILE_FINGERPRINT = 'logpulse.file.fingerprint';
export const ATTR_FILE_OFFSET = 'logpulse.file.offset';
/** What the Collector's filelog receiver writes (semantic conventions `log.file.*`). */
export const ATTR_FILE_PATH = 'log.file.path';
export const ATTR_FILE_NAME = 'log.file.name';
export const ATTR_RECORD_OFFSET = 'log.file.record_offset';
export const ATTR_RECORD_NUMBER = 'log.file.record_number';

/** A file id as the file source makes them: 16 hex digits of the fingerprint's hash, `-n` when taken. */
const FILE_ID = /^[0-9a-f]{16}(?:-[1-9][0-9]{0,5})?$/;

export type IdentityKind = 'agent' | 'record_offset' | 'record_number' | 'content';

export interface RecordIdentity {
  kind: IdentityKind;
  /** Parser state is kept per this key: one per shipped file (a W3C `#Fields:` line holds across requests). */
  fileId: string;
  file: string;
  /** Byte offset stored with the event; -1 when the record has none. */
  offset: number;
  eventId: bigint;
}

export type IdentityResult = RecordIdentity | { rejected: string };

function nonNegativeInteger(value: AttributeValue): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function hashed(kind: string, parts: readonly string[], text: string): bigint {
  const hash = createHash('sha256').update(kind);
  for (const part of parts) hash.update('\0').update(part);
  return hash.update('\0').update(text).digest().readBigUInt64LE(0);
}

/**
 * Gives each record of one request its event id. Four keyspaces, never overlapping:
 * - agent records (`logpulse.file.fingerprint` + `logpulse.file.offset`): eventIdAt(fileKey(id),
 *   offset), the very id a local tail of that file gives, so both fold into one row;
 * - Collector records with `log.file.record_offset`: a hash of ("otlp-record-offset", host, path,
 *   offset, line);
 * - with `log.file.record_number` instead: a hash of ("otlp-record-number", host, path, number, line);
 * - anything else: eventIdForContent("otlp-content", host, path; line; ordinal of that line in the request).
 * The hashed kinds start their key material with a name no file id can have (file ids are hex),
 * and hash it differently from eventIdAt.
 */
export class RequestIdentities {
  private readonly ordinals = new Map<string, number>();
  private readonly keys = new FileKeyCache();

  constructor(private readonly source: string) {}

  identify(attributes: ReadonlyMap<string, AttributeValue>, text: string): IdentityResult {
    const path = attributes.get(ATTR_FILE_PATH);
    const name = attributes.get(ATTR_FILE_NAME);
    const file = typeof path === 'string' ? path : typeof name === 'string' ? name : '';
    const fingerprint = attributes.get(ATTR_FILE_FINGERPRINT);
    if (fingerprint !== undefined) {
      const offset = nonNegativeInteger(attributes.get(ATTR_FILE_OFFSET));
      if (typeof fingerprint !== 'string' || !FILE_ID.test(fingerprint)) return { rejected: `${ATTR_FILE_FINGERPRINT} is not a file id` };
      if (offset === undefined) return { rejected: `${ATTR_FILE_OFFSET} missing or not a non-negative integer` };
      return { kind: 'agent', fileId: fingerprint, file, offset, eventId: eventIdAt(this.keys.get(fingerprint), offset) };
    }
    const fileId = `otlp:${this.source}:${file}`;
    const recordOffset = nonNegativeInteger(attributes.get(ATTR_RECORD_OFFSET));
    if (file !== '' && recordOffset !== undefined) {
      return { kind: 'record_offset', fileId, file, offset: recordOffset, eventId: hashed('otlp-record-offset', [this.source, file, String(recordOffset)], text) };
    }
    const recordNumber = nonNegativeInteger(attributes.get(ATTR_RECORD_NUMBER));
    if (file !== '' && recordNumber !== undefined) {
      return { kind: 'record_number', fileId, file, offset: -1, eventId: hashed('otlp-record-number', [this.source, file, String(recordNumber)], text) };
    }
    const material = `otlp-content\0${this.source}\0${file}`;
    const ordinalKey = `${file}\0${text}`;
    const ordinal = this.ordinals.get(ordinalKey) ?? 0;
    this.ordinals.set(ordinalKey, ordinal + 1);
    return { kind: 'content', fileId, file, offset: -1, eventId: eventIdForContent(material, text, ordinal) };
  }

}

/** The source (host) of a resource: `host.name`, else `service.name`. */
export function resourceSource(attributes: ReadonlyMap<string, AttributeValue>): string | undefined {
  for (const key of ['host.name', 'service.name']) {
    const value = attributes.get(key);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}
