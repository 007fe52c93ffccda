import type { ShipEvents } from './ship_handler.js';
import type { ShipRequestError } from './ship_errors.js';

/** How a request ended, the `outcome` label of `logpulse_ship_requests_total`. */
export type RequestOutcome = 'stored' | 'partial' | 'throttled' | 'unavailable' | 'too_large' | 'refused' | 'unreachable';

export const REQUEST_OUTCOMES: readonly RequestOutcome[] = ['stored', 'partial', 'throttled', 'unavailable', 'too_large', 'refused', 'unreachable'];

function outcomeOf(status: number): RequestOutcome {
  if (status === 0) return 'unreachable';
  if (status === 429) return 'throttled';
  if (status === 503) return 'unavailable';
  if (status === 413) return 'too_large';
  return 'refused';
}

/**
 * The agent's running totals: one owner, read by the status line and by `/metrics`. The last
 * error is kept as text (no token can be in it: the exporter never puts headers in messages).
 */
export class ShipStats implements ShipEvents {
  lines = 0;
  fileBytes = 0;
  rejectedRecords = 0;
  droppedLines = 0;
  readonly requests = new Map<RequestOutcome, number>(REQUEST_OUTCOMES.map((outcome) => [outcome, 0]));
  lastError: { message: string; at: number; retryInMs: number } | undefined;
  /** Failures in a row since the last stored request. */
  failingSince: number | undefined;

  constructor(private readonly onFailure?: (error: ShipRequestError, delayMs: number, first: boolean) => void) {}

  sent(lines: number, fileBytes: number, rejected: number): void {
    this.lines += lines;
    this.fileBytes += fileBytes;
    this.rejectedRecords += rejected;
    this.count(rejected > 0 ? 'partial' : 'stored');
    this.failingSince = undefined;
  }

  failed(error: ShipRequestError, delayMs: number): void {
    this.count(outcomeOf(error.status));
    this.lastError = { message: error.message, at: Date.now(), retryInMs: delayMs };
    const first = this.failingSince === undefined;
    this.failingSince ??= Date.now();
    this.onFailure?.(error, delayMs, first);
  }

  dropped(lines: number): void {
    this.droppedLines += lines;
  }

  private count(outcome: RequestOutcome): void {
    this.requests.set(outcome, (this.requests.get(outcome) ?? 0) + 1);
  }
}
