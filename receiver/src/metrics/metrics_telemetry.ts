import type {
  LineOutcome, OtlpRecordOutcome, OtlpRequestOutcome, ReceiverTelemetry, SinkOutcome, SyslogConnectionOutcome, SyslogMessageOutcome, SyslogTransport,
} from '../model/telemetry.js';
import type { Instruments } from './instruments.js';
import { SourceLimiter } from './source_limiter.js';

/**
 * The metrics side of the receiver's internal events: line outcomes and sink rows become the
 * `logpulse_lines_total`, `logpulse_files_skipped_total`, `logpulse_sink_rows_total`,
 * `logpulse_sink_queue_rows` and `logpulse_events_future_total` series.
 * Invalid-line samples belong to the receiver's log, not to metrics.
 */
export class MetricsTelemetry implements ReceiverTelemetry {
  constructor(
    private readonly instruments: Instruments,
    private readonly sources: SourceLimiter = new SourceLimiter(Number.MAX_SAFE_INTEGER),
  ) {}

  linesRead(): void {}

  linesProcessed(source: string, outcome: LineOutcome, count: number): void {
    if (count > 0) this.instruments.lines.add(count, { source: this.sources.label(source), outcome });
  }

  invalidLine(): void {}

  fileSkipped(source: string): void {
    this.instruments.filesSkipped.add(1, { source: this.sources.label(source) });
  }

  sinkRows(outcome: SinkOutcome, count: number): void {
    if (count > 0) this.instruments.sinkRows.add(count, { outcome });
  }

  sinkQueueRows(rows: number): void {
    if (rows >= 0) this.instruments.sinkQueueRows.record(rows);
  }

  otlpRequest(source: string, outcome: OtlpRequestOutcome): void {
    this.instruments.otlpRequests.add(1, { source: this.sources.label(source), outcome });
  }

  otlpRecords(source: string, outcome: OtlpRecordOutcome, count: number): void {
    if (count > 0) this.instruments.otlpRecords.add(count, { source: this.sources.label(source), outcome });
  }

  futureEvents(source: string, count: number): void {
    if (count > 0) this.instruments.futureEvents.add(count, { source: this.sources.label(source) });
  }

  // No path label: paths are chosen by the outside world and would grow the series without bound.
  pathUnreadable(): void {
    this.instruments.sourceErrors.add(1, { reason: 'unreadable' });
  }

  checkpointsEvicted(count: number): void {
    if (count > 0) this.instruments.sourceErrors.add(count, { reason: 'checkpoint_evicted' });
  }

  syslogMessages(transport: SyslogTransport, outcome: SyslogMessageOutcome, count: number): void {
    if (count > 0) this.instruments.syslogMessages.add(count, { transport, outcome });
  }

  syslogConnection(outcome: SyslogConnectionOutcome): void {
    this.instruments.syslogConnections.add(1, { outcome });
  }
}
