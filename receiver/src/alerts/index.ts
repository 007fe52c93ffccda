export type { AlertTransition } from './alert_transition.js';
export {
  HIGH_TRAFFIC_ALERT,
  SOURCE_SILENT_ALERT,
  formatAlertMinutes,
  formatAlertTime,
  formatAlertValue,
  highTrafficMessage,
  sourceResumedMessage,
  sourceSilentMessage,
  trafficRecoveredMessage,
} from './alert_messages.js';
export { AlertHistory } from './alert_history.js';
export type { AlertHistoryOptions, TransitionListener } from './alert_history.js';
export { AlertConfigError, AlertHistoryError } from './errors.js';
export { TrafficAlert } from './traffic_alert.js';
export { FUTURE_TOLERANCE_MS, HOLD_SECONDS } from './traffic_alert_options.js';
export type { TrafficAlertStats } from './traffic_alert.js';
export type { TrafficAlertOptions } from './traffic_alert_options.js';
export { LivenessAlert } from './liveness_alert.js';
export type { LivenessAlertStats } from './liveness_alert.js';
export type { LivenessAlertOptions } from './liveness_alert_options.js';
