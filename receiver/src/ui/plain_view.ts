import type { AlertTransition } from '../alerts/alert_transition.js';
import { formatSpan } from './format.js';
import type { ImportSummary } from './import_summary.js';
import { importSummaryBlock } from './import_summary_lines.js';
import { LABEL_WIDTH, catchingUp, periodLines, progressBar } from './period_lines.js';
import type { PeriodSnapshot } from './period_snapshot.js';
import { watchOutput } from './view.js';
import type { TerminalView, ViewOptions } from './view.js';

/** The text of one period block: a header line with the period's span, then aligned lines. */
export function periodBlock(snapshot: PeriodSnapshot, progress?: ViewOptions['progress']): string {
  const lines = [`--- ${formatSpan(snapshot.startMs, snapshot.endMs)} ---`];
  const now = progress?.();
  if (catchingUp(now)) lines.push(`${'catching up'.padEnd(LABEL_WIDTH)}${progressBar(now)}`);
  for (const { label, text } of periodLines(snapshot)) lines.push(`${label.padEnd(LABEL_WIDTH)}${text}`);
  return `${lines.join('\n')}\n`;
}

/**
 * For `--no-tui` and output that is not a terminal: one block per period and each alert's exact
 * message on a line of its own, nothing redrawn, so the output reads well in a file or a pipe.
 */
export class PlainView implements TerminalView {
  private stopped = false;
  private readonly unwatch: () => void;

  constructor(private readonly options: Pick<ViewOptions, 'out' | 'progress' | 'onOutputError'>) {
    this.unwatch = watchOutput(options.out, () => (this.stopped = true), options.onOutputError);
  }

  showPeriod(snapshot: PeriodSnapshot): void {
    if (this.stopped) return;
    this.options.out.write(periodBlock(snapshot, this.options.progress));
  }

  showAlert(transition: AlertTransition): void {
    if (this.stopped) return;
    this.options.out.write(`${transition.message}\n`);
  }

  showSummary(summary: ImportSummary): void {
    if (this.stopped) return;
    this.options.out.write(importSummaryBlock(summary));
  }

  stop(): void {
    this.stopped = true;
    this.unwatch();
  }
}
