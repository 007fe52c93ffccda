/** A traffic or silence alert option out of range; thrown at construction, before anything runs. */
export class AlertConfigError extends Error {
  override readonly name = 'AlertConfigError';
  readonly key: string;

  constructor(key: string, expected: string, got: unknown, alert = 'traffic alert') {
    super(`${alert}: ${key}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
    this.key = key;
  }
}

/** Reading or appending the alert history file failed. */
export class AlertHistoryError extends Error {
  override readonly name = 'AlertHistoryError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`alert history: ${message}`, options);
  }
}
