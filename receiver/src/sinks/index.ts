export { ClickHouseSink } from './clickhouse_sink.js';
export { resolveSinkOptions, type ClickHouseSinkOptions, type ResolvedSinkOptions } from './sink_options.js';
export { backoffDelayMs, type SinkLogger } from './retry_policy.js';
export { EVENT_COLUMNS, ALERT_COLUMNS, encodeEvents, encodeAlert, type EventSlice } from './encoders/row_encoder.js';
export { encodeEventsRowBinary, EVENT_ROW_BINARY_LAYOUT } from './encoders/row_binary_encoder.js';
export type { EventRowWriter } from './encoders/event_row_writer.js';
