import type { AlertTransition } from '../alerts/alert_transition.js';
import type { ImportSummary } from './import_summary.js';
import type { PeriodSnapshot } from './period_snapshot.js';
import type { Progress } from './period_lines.js';

/** What the receiver shows on its terminal. */
export interface TerminalView {
  /** Shows a finished period (the ink view replaces the previous one; plain mode prints a block). */
  showPeriod(snapshot: PeriodSnapshot): void;
  /** Shows an alert transition as it happens. */
  showAlert(transition: AlertTransition): void;
  /** Shows what a batch import did, once at its end (plain: a block; ink: below the alerts). */
  showSummary(summary: ImportSummary): void;
  /** Stops redrawing; the last frame stays on screen. Idempotent. */
  stop(): void;
}

export type ViewMode = 'tui' | 'plain';

export interface ViewOptions {
  /** 'tui': an ink app redrawn in place; 'plain': text blocks, one per period, for pipes and logs. */
  mode: ViewMode;
  /** Where to draw. The ink view needs a TTY-like stream (`columns`, `rows`, 'resize' events). */
  out: NodeJS.WritableStream;
  /** How far the reading of a backlog has come; the bar shows while bytesRead < bytesTotal. @default none */
  progress?: () => Progress;
  /** Transitions from before this start (the history file), shown by the ink view. @default none */
  initialAlerts?: readonly AlertTransition[];
  /** Alert lines kept on screen by the ink view, most recent last. @default 10 */
  alertsShown?: number;
  /** How often the ink view reads `progress()`. @default 500 */
  progressIntervalMs?: number;
  /**
   * Told when writing to `out` fails (EPIPE once `| head` has read enough); the view then stops
   * drawing instead of crashing the receiver. @default nothing
   */
  onOutputError?: (error: Error) => void;
}

/**
 * Stops a view when its output fails; returns the function that removes the listener. After a
 * failure the listener stays: a broken stream can report more errors (ink's last frame on exit).
 */
export function watchOutput(out: NodeJS.WritableStream, stop: () => void, report?: (error: Error) => void): () => void {
  if (typeof out.on !== 'function') return () => {};
  let failed = false;
  const onError = (error: Error): void => {
    if (failed) return;
    failed = true;
    stop();
    report?.(error);
  };
  out.on('error', onError);
  return () => {
    if (!failed) out.removeListener('error', onError);
  };
}
