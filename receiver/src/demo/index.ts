export { AccessLogGenerator, type AccessLogGeneratorOptions } from './access_log_generator.js';
export { documentationAddress, documentationIpv4, documentationIpv6 } from './demo_addresses.js';
export {
  DEMO_DEFAULTS,
  DemoOptionsError,
  resolveDemoOptions,
  type DemoOptions,
  type ResolvedDemoOptions,
} from './demo_options.js';
export {
  DemoWriteError,
  runDemo,
  writeDemoFile,
  type DemoFileOptions,
  type DemoHandle,
  type DemoSummary,
} from './demo_writer.js';
export { createLineGenerator, DEMO_FORMATS, type DemoFormat, type LineGenerator } from './line_generator.js';
export { ClfTimeFormatter, SftpgoTimeFormatter } from './log_time_format.js';
export { Prng, WeightedTable, randomId } from './prng.js';
export { SftpgoLogGenerator, type SftpgoLogGeneratorOptions } from './sftpgo_log_generator.js';
export { pickRequest, type DemoRequest } from './site_routes.js';
export {
  alertCrossings,
  DEFAULT_TRAFFIC_SCHEDULE,
  inBurst,
  linesInSecond,
  linesUntil,
  rateAt,
  windowAverageAt,
  type AlertCrossingOptions,
  type AlertCrossings,
  type TrafficSchedule,
} from './traffic_schedule.js';
