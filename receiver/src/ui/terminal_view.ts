import { ViewConfigError } from './errors.js';
import { PlainView } from './plain_view.js';
import type { TerminalView, ViewOptions } from './view.js';

/**
 * Creates the view of the given mode. The ink view is loaded only when asked for: ink and React
 * take about a second to load, which a plain run (CI, a pipe, `--no-tui`) should not pay.
 */
export async function createView(options: ViewOptions): Promise<TerminalView> {
  const alertsShown = options.alertsShown ?? 10;
  if (!(Number.isInteger(alertsShown) && alertsShown > 0)) {
    throw new ViewConfigError('alertsShown', 'a positive whole number of lines', options.alertsShown);
  }
  const progressIntervalMs = options.progressIntervalMs ?? 500;
  if (!(Number.isFinite(progressIntervalMs) && progressIntervalMs > 0)) {
    throw new ViewConfigError('progressIntervalMs', 'a positive number of milliseconds', options.progressIntervalMs);
  }
  if (options.mode !== 'tui') return new PlainView(options);
  const { TuiView } = await import('./tui_view.js');
  return new TuiView(options);
}

export interface StartTerminalViewOptions extends Omit<ViewOptions, 'mode' | 'out'> {
  /** @default process.stdout */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /** `--no-tui`: plain text even on a terminal. @default false */
  noTui?: boolean;
}

/** The ink view on a terminal, plain text with `--no-tui` or when the output is not a terminal. */
export function startTerminalView(options: StartTerminalViewOptions = {}): Promise<TerminalView> {
  const out = options.out ?? process.stdout;
  const mode = !options.noTui && out.isTTY === true ? 'tui' : 'plain';
  return createView({ ...options, mode, out });
}
