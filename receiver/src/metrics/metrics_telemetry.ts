import type { LineOutcome, ReceiverTelemetry, SinkOutcome } from '../pipeline/telemetry.js';
import type { Instruments } from './instruments.js';

/**
 * The metrics side of the receiver's internal events: line outcomes and sink rows become the
 * `logpulse_lines_total`, `logpulse_sink_rows_total` and `logpulse_sink_queue_rows` series.
 * Invalid-line samples belong to the receiver's log, not to metrics.
 */
export class MetricsTelemetry implements ReceiverTelemetry {
  constructor(private readonly instruments: Instruments) {}

  linesProcessed(source: string, outcome: LineOutcome, count: number): void {
    if (count > 0) this.instruments.lines.add(count, { source, outcome });
  }

  invalidLine(): void {}

  sinkRows(outcome: SinkOutcome, count: number): void {
    if (count > 0) this.instruments.sinkRows.add(count, { outcome });
  }

  sinkQueueRows(rows: number): void {
    if (rows >= 0) this.instruments.sinkQueueRows.record(rows);
  }

  // No path label: paths are chosen by the outside world and would grow the series without bound.
  pathUnreadable(): void {
    this.instruments.sourceErrors.add(1, { reason: 'unreadable' });
  }

  checkpointsEvicted(count: number): void {
    if (count > 0) this.instruments.sourceErrors.add(count, { reason: 'checkpoint_evicted' });
  }
}
