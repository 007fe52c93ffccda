/** An option of `logpulse ship` that cannot work: names the option, the value seen and what was expected. */
export class ShipOptionError extends Error {
  override readonly name = 'ShipOptionError';
}

/** One export request that was not accepted; the exporter retries it. `status` is 0 when no answer came. */
export class ShipRequestError extends Error {
  override readonly name = 'ShipRequestError';

  constructor(
    message: string,
    readonly status: number,
    /** What the server asked for in `Retry-After`, in milliseconds, when it did. */
    readonly retryAfterMs: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The agent is stopping: a send waiting for its next attempt gives up, its lines are read again at the next start. */
export class ShipStoppedError extends Error {
  override readonly name = 'ShipStoppedError';

  constructor() {
    super('ship: stopping, the batch is sent again at the next start');
  }
}
