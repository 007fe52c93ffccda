import type { ShipStats } from './ship_stats.js';

export interface StatusFigures {
  stats: ShipStats;
  lagBytes: () => number;
  inFlight: () => number;
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** The status as one line: what was shipped, what is behind, and the last error while it lasts. */
export function statusLine(figures: StatusFigures, now = Date.now()): string {
  const { stats } = figures;
  const parts = [`shipped ${stats.lines.toLocaleString('en-US')} lines`, `lag ${bytesText(Math.max(0, figures.lagBytes()))}`, `${figures.inFlight()} in flight`];
  if (stats.failingSince !== undefined && stats.lastError !== undefined) {
    const age = Math.round((now - stats.failingSince) / 1000);
    parts.push(`failing for ${age}s: ${stats.lastError.message} (retry in ${(stats.lastError.retryInMs / 1000).toFixed(1)}s)`);
  } else if (stats.lastError !== undefined) {
    parts.push(`last error ${Math.round((now - stats.lastError.at) / 1000)}s ago: ${stats.lastError.message}`);
  }
  return parts.join(' · ');
}

/**
 * Redraws the status line in place on a terminal (carriage return, clear line) once a second,
 * cut to the terminal's width so that it never wraps; `stop()` leaves the last line on screen.
 */
export class StatusLine {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly figures: StatusFigures,
    private readonly out: NodeJS.WriteStream,
  ) {}

  start(intervalMs = 1000): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
    this.out.write('\n');
  }

  private draw(): void {
    const width = this.out.columns > 0 ? this.out.columns - 1 : 120;
    this.out.write(`\r\x1b[2K${statusLine(this.figures).slice(0, width)}`);
  }
}
