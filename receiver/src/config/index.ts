export { ConfigError } from './config_error.js';
export { OPTION_SPECS, envName, LOG_FORMAT_CHOICES } from './options.js';
export type { OptionSpec } from './options.js';
export { loadReceiverConfig } from './receiver_config.js';
export type { ReceiverConfig, ConfigInputs } from './receiver_config.js';
export { redactUrl, environmentSecrets, REDACTED } from './redact_url.js';
