/** What parsers, sources, the pipeline and the sinks share: the event, the line batch, the telemetry interface. */
export type { EventKind, Direction, ParsedFields, Event } from './event.js';
export type { RawLine, LineBatch, BatchHandler, BatchOutcome, CountingBatchHandler } from './line_batch.js';
export {
  noopTelemetry, fanOutTelemetry,
  type ReceiverTelemetry, type LineOutcome, type SinkOutcome, type OtlpRequestOutcome, type OtlpRecordOutcome,
  type SyslogTransport, type SyslogMessageOutcome, type SyslogConnectionOutcome,
} from './telemetry.js';
