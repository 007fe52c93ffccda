import { render } from 'ink';
import type { Instance } from 'ink';
import type { AlertTransition } from '../alerts/alert_transition.js';
import type { ImportSummary } from './import_summary.js';
import type { Progress } from './period_lines.js';
import type { PeriodSnapshot } from './period_snapshot.js';
import { TuiApp } from './tui_app.js';
import type { TuiState } from './tui_app.js';
import { watchOutput } from './view.js';
import type { TerminalView, ViewOptions } from './view.js';

/** The ink view: redraws the latest period, the catch-up bar and the last alerts in place. */
export class TuiView implements TerminalView {
  private readonly instance: Instance;
  private readonly alertsShown: number;
  private readonly readProgress: (() => Progress) | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly unwatch: () => void;
  private state: TuiState;
  private stopped = false;

  constructor(options: ViewOptions) {
    this.alertsShown = options.alertsShown ?? 10;
    this.readProgress = options.progress;
    this.state = {
      period: undefined,
      alerts: (options.initialAlerts ?? []).slice(-this.alertsShown),
      progress: this.readProgress?.(),
      summary: undefined,
    };
    this.instance = render(<TuiApp {...this.state} />, {
      // ink types its stream as a tty.WriteStream; it only uses write, columns, rows and 'resize'.
      stdout: options.out as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    this.unwatch = watchOutput(options.out, () => this.stop(), options.onOutputError);
    if (this.readProgress !== undefined) {
      this.timer = setInterval(() => this.refreshProgress(), options.progressIntervalMs ?? 500);
      this.timer.unref();
    }
  }

  showPeriod(snapshot: PeriodSnapshot): void {
    this.update({ period: snapshot, progress: this.readProgress?.() });
  }

  showAlert(transition: AlertTransition): void {
    this.update({ alerts: [...this.state.alerts, transition].slice(-this.alertsShown) });
  }

  showSummary(summary: ImportSummary): void {
    this.update({ summary, progress: this.readProgress?.() });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.instance.unmount();
    this.unwatch();
  }

  private refreshProgress(): void {
    const progress = this.readProgress?.();
    const before = this.state.progress;
    if (progress?.bytesRead === before?.bytesRead && progress?.bytesTotal === before?.bytesTotal) return;
    this.update({ progress });
  }

  private update(change: Partial<TuiState>): void {
    if (this.stopped) return;
    this.state = { ...this.state, ...change };
    this.instance.rerender(<TuiApp {...this.state} />);
  }
}
