/** A configuration problem found at start-up: names the option, the value seen and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'LOGPULSE_CONFIG';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
