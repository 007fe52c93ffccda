import type { CountingBatchHandler, LineBatch, RawLine } from '../../model/line_batch.js';
import type { ReceiverTelemetry } from '../../model/telemetry.js';
import type { ShippedResource } from './otlp_decode.js';
import { OtlpRequestError, RpcCode } from './otlp_errors.js';
import { RequestIdentities, resourceSource } from './otlp_identity.js';
import type { ResolvedOtlpSourceOptions } from './otlp_options.js';

export interface IngestResult {
  records: number;
  rejected: number;
  /** Why the first rejected record was rejected, for `partial_success.error_message`. */
  firstReason: string;
  /** The first resource's source, for the request's accounting ('unknown' when none). */
  source: string;
}

/** A request's lines grouped per (source, shipped file): one batch each, one parser state each. */
interface Group {
  source: string;
  file: string;
  fileId: string;
  lines: RawLine[];
}

function cut(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return { text, truncated: false };
  return { text: Buffer.from(text).subarray(0, maxBytes).toString('utf8'), truncated: true };
}

function withoutLineEnd(text: string): string {
  return text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
}

/**
 * Hands the records of one export request to the pipeline and resolves once ClickHouse stored
 * every one of them: only then may the endpoint answer 200. When the pipeline does not take the
 * lines within `sinkWaitMs` (the sink's queue is full) or ClickHouse does not store them within
 * `ackTimeoutMs`, the request is refused with 503 and Retry-After; lines already handed on are
 * stored all the same and the client's retry folds onto them by event id.
 */
export class OtlpIngest {
  private inFlight = 0;
  /** Hand-offs still waiting for room in the pipeline after `sinkWaitMs`: the sink pushes back. */
  private stalled = 0;

  constructor(
    private readonly handler: CountingBatchHandler,
    private readonly options: ResolvedOtlpSourceOptions,
    private readonly telemetry: ReceiverTelemetry,
  ) {}

  /** `allowedSource`: the only source the request's token may write, undefined for any. */
  async ingest(resources: readonly ShippedResource[], allowedSource: string | undefined): Promise<IngestResult> {
    const retryAfter = this.options.retryAfterSeconds;
    if (this.stalled > 0) throw new OtlpRequestError(503, RpcCode.UNAVAILABLE, 'otlp: the event store is pushing back; retry later', retryAfter);
    if (this.inFlight >= this.options.maxInFlightRequests) {
      throw new OtlpRequestError(429, RpcCode.RESOURCE_EXHAUSTED, `otlp: ${this.inFlight} requests are already being stored; retry later`, retryAfter);
    }
    const result: IngestResult = { records: 0, rejected: 0, firstReason: '', source: allowedSource ?? 'unknown' };
    const groups = this.group(resources, allowedSource, result);
    this.inFlight++;
    try {
      const acks: Array<Promise<void>> = [];
      const invalid: number[] = [];
      for (const group of groups) {
        let ack!: () => void;
        acks.push(new Promise<void>((resolve) => (ack = resolve)));
        const batch: LineBatch = { ...group, remote: true, ack, ...(this.options.format === undefined ? {} : { format: this.options.format }) };
        const outcome = await this.handOn(batch);
        invalid.push(outcome.invalid);
        if (outcome.invalid > 0) {
          result.rejected += outcome.invalid;
          result.firstReason ||= 'body is not a line of a known access or transfer log format';
        }
      }
      await this.within(Promise.all(acks), this.options.ackTimeoutMs, 'otlp: the event store did not store the records in time; retry later');
      groups.forEach((group, i) => {
        const bad = invalid[i] ?? 0;
        this.telemetry.otlpRecords(group.source, 'accepted', group.lines.length - bad);
        this.telemetry.otlpRecords(group.source, 'rejected', bad);
      });
      return result;
    } finally {
      this.inFlight--;
    }
  }

  private async handOn(batch: LineBatch): Promise<{ invalid: number }> {
    const handed = this.handler(batch);
    let late = false;
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), this.options.sinkWaitMs).unref());
    const first = await Promise.race([handed, timer]);
    if (first !== 'late') return first;
    late = true;
    this.stalled++;
    // Until the pipeline takes this batch, new requests are refused at once.
    void handed.then(
      () => void (late && this.stalled--),
      () => void (late && this.stalled--),
    );
    throw new OtlpRequestError(503, RpcCode.UNAVAILABLE, 'otlp: the event store is pushing back; retry later', this.options.retryAfterSeconds);
  }

  private async within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OtlpRequestError(503, RpcCode.UNAVAILABLE, message, this.options.retryAfterSeconds)), ms);
      timer.unref();
    });
    try {
      return await Promise.race([promise, timeUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  private group(resources: readonly ShippedResource[], allowedSource: string | undefined, result: IngestResult): Group[] {
    const groups = new Map<string, Group>();
    const reject = (source: string, reason: string, count: number): void => {
      result.rejected += count;
      result.firstReason ||= reason;
      this.telemetry.otlpRecords(source, 'rejected', count);
    };
    for (const resource of resources) {
      result.records += resource.records.length;
      const source = resourceSource(resource.attributes) ?? allowedSource;
      if (source !== undefined && result.source === 'unknown') result.source = source;
      if (source === undefined) {
        reject('unknown', 'resource has neither host.name nor service.name', resource.records.length);
        continue;
      }
      if (allowedSource !== undefined && source !== allowedSource) {
        throw new OtlpRequestError(403, RpcCode.PERMISSION_DENIED, 'otlp: this token may not write records of another source');
      }
      const identities = new RequestIdentities(source);
      for (const record of resource.records) {
        if (record.body === undefined) {
          reject(source, 'body is not a string', 1);
          continue;
        }
        const { text, truncated } = cut(withoutLineEnd(record.body), this.options.maxLineBytes);
        const identity = identities.identify(record.attributes, text);
        if ('rejected' in identity) {
          reject(source, identity.rejected, 1);
          continue;
        }
        const key = `${source}\0${identity.fileId}`;
        let group = groups.get(key);
        if (!group) {
          group = { source, file: identity.file, fileId: identity.fileId, lines: [] };
          groups.set(key, group);
        }
        group.lines.push({ offset: identity.offset, text, eventId: identity.eventId, ...(truncated ? { truncated } : {}) });
      }
    }
    return [...groups.values()];
  }
}
