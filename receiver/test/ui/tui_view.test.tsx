import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

// The ink view is tested on its interactive path (redraw in place, colours) wherever the suite
// runs: ink reads CI at import and would otherwise print only the last frame.
vi.hoisted(() => {
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
  process.env.FORCE_COLOR = '1';
});

import { highTrafficMessage, sourceResumedMessage, sourceSilentMessage, trafficRecoveredMessage } from '../../src/alerts/index.js';
import type { AlertTransition } from '../../src/alerts/index.js';
import type { PeriodSnapshot, Progress } from '../../src/ui/index.js';
import { ImportSummaryCollector, PeriodStats, createView, startTerminalView } from '../../src/ui/index.js';
import { START_MS, request, transfer } from './events.js';

/**
 * A test double for a terminal: ink writes its frames here. It has what ink reads of a TTY stream
 * (isTTY, columns, rows, 'resize' events) and keeps every write.
 */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  readonly writes: string[] = [];

  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }

  /** The last frame drawn, without escape sequences. */
  lastFrame(): string {
    const frames = this.writes.map(stripAnsi).filter((text) => text.trim() !== '');
    return frames.at(-1) ?? '';
  }

  get all(): string {
    return this.writes.join('');
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?<>]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007]*\u0007/g, '');
}

function alert(n: number): AlertTransition {
  const firing = n % 2 === 0;
  const at = START_MS + n * 60_000;
  const value = firing ? 10.25 : 9.75;
  return {
    alert: 'HighTraffic',
    state: firing ? 'firing' : 'resolved',
    value,
    at,
    thresholdRps: 10,
    windowSeconds: 120,
    message: firing ? highTrafficMessage(value, at) : trafficRecoveredMessage(value, at),
  };
}

function period(offsetSeconds: number, hits: number): PeriodSnapshot {
  let wallMs = START_MS + offsetSeconds * 1000;
  const stats = new PeriodStats({ now: () => wallMs });
  stats.consume(Array.from({ length: hits }, () => request('/pages/create', '/pages', 200, 2048, { user: 'james' })));
  stats.consume([transfer('upload', 'alice', 10_485_760)]);
  wallMs += 10_000;
  return stats.cut();
}

describe('ink terminal view', () => {
  it('redraws the latest period in place and keeps the last ten alerts, firing in red and recoveries in green', async () => {
    const terminal = new FakeTerminal();
    const view = await createView({ mode: 'tui', out: terminal as unknown as NodeJS.WritableStream, initialAlerts: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(alert) });
    view.showPeriod(period(0, 40));
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('4.0 req/s'));
    view.showPeriod(period(10, 123));
    view.showAlert(alert(11));
    view.showAlert(alert(12));
    view.stop();
    view.stop();

    const frame = terminal.lastFrame();
    const lines = frame.split('\n');
    expect(lines[0]).toBe('logpulse 2026-11-22 10:00:10 - 10:00:20 UTC');
    expect(frame).toContain('hits         123   12.3 req/s   252 kB');
    expect(frame).toContain('sections     /pages 123 (252 kB)');
    expect(frame).toContain('sftp         1 uploads (10.5 MB)   0 downloads (0 B)');
    expect(frame).not.toContain('4.0 req/s');
    const shown = lines.filter((line) => line.startsWith('High traffic') || line.startsWith('Traffic recovered'));
    expect(shown).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => alert(n).message));
    // Redrawn in place: the previous frame's lines are erased before the next is written.
    expect(terminal.all).toContain('\u001b[2K');
    expect(terminal.all).toContain(`\u001b[31m${alert(12).message}`);
    expect(terminal.all).toContain(`\u001b[32m${alert(11).message}`);
  });

  it('shows silence alerts like the traffic alert: two sources silent in the same second, then one resumed', async () => {
    const terminal = new FakeTerminal();
    const view = await createView({ mode: 'tui', out: terminal as unknown as NodeJS.WritableStream });
    const at = START_MS + 301_000;
    const silent = (source: string): AlertTransition => ({ alert: 'SourceSilent', source, state: 'firing', value: 301, at, thresholdRps: 0, windowSeconds: 300, message: sourceSilentMessage(source, 5) });
    view.showAlert(silent('web-1'));
    view.showAlert(silent('web-2'));
    const resumedAt = at + 60_000;
    view.showAlert({ ...silent('web-1'), state: 'resolved', value: 420, at: resumedAt, message: sourceResumedMessage('web-1', resumedAt) });
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('Logs from web-1 resumed at'));
    view.stop();
    const shown = terminal.lastFrame().split('\n').filter((line) => line.startsWith('No logs') || line.startsWith('Logs from'));
    expect(shown).toEqual([
      'No logs received from web-1 for 5 minutes',
      'No logs received from web-2 for 5 minutes',
      'Logs from web-1 resumed at 2026-11-22T10:06:01.000Z',
    ]);
    expect(terminal.all).toContain('\u001b[31mNo logs received from web-2 for 5 minutes');
    expect(terminal.all).toContain('\u001b[32mLogs from web-1 resumed at');
  });

  it('shows the top virtual hosts above the sections when requests name one, and no such line otherwise', async () => {
    const terminal = new FakeTerminal();
    const view = await createView({ mode: 'tui', out: terminal as unknown as NodeJS.WritableStream });
    const stats = new PeriodStats({ now: () => START_MS });
    stats.consume([
      request('/products/42', '/products', 200, 8210, { vhost: 'shop.example.com' }),
      request('/v1/orders', '/v1', 201, 98, { vhost: 'api.example.com' }),
      request('/products/7', '/products', 200, 4000, { vhost: 'shop.example.com' }),
    ]);
    view.showPeriod(stats.cut());
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('vhosts'));
    view.stop();
    const lines = terminal.lastFrame().split('\n');
    const at = lines.findIndex((line) => line.startsWith('vhosts'));
    expect(lines.slice(at, at + 2)).toEqual([
      'vhosts       shop.example.com 2 (12.2 kB)   api.example.com 1 (98 B)',
      'sections     /products 2 (12.2 kB)   /v1 1 (98 B)',
    ]);

    const plain = new FakeTerminal();
    const without = await createView({ mode: 'tui', out: plain as unknown as NodeJS.WritableStream });
    without.showPeriod(period(0, 3));
    await vi.waitFor(() => expect(plain.lastFrame()).toContain('sections'));
    without.stop();
    expect(plain.lastFrame()).not.toContain('vhosts');
  });

  it('shows the catch-up bar only while the backlog is being read', async () => {
    const terminal = new FakeTerminal();
    let progress: Progress = { bytesRead: 1_200_000, bytesTotal: 3_400_000 };
    const view = await createView({ mode: 'tui', out: terminal as unknown as NodeJS.WritableStream, progress: () => progress, progressIntervalMs: 20 });
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('catching up  [██████████░░░░░░░░░░░░░░░░░░░░]  35%  1.2 MB of 3.4 MB'));
    expect(terminal.lastFrame()).toContain('waiting for the first period');
    expect(terminal.lastFrame()).toContain('no alerts');
    progress = { bytesRead: 3_400_000, bytesTotal: 3_400_000 };
    await vi.waitFor(() => expect(terminal.lastFrame()).not.toContain('catching up'));
    view.showPeriod(period(0, 5));
    view.stop();
    expect(terminal.lastFrame()).not.toContain('catching up');
    expect(terminal.lastFrame()).toContain('hits         5   0.5 req/s');
  });

  it('shows the import summary below the alerts and leaves it on screen when stopped', async () => {
    const terminal = new FakeTerminal();
    const view = await createView({ mode: 'tui', out: terminal as unknown as NodeJS.WritableStream, initialAlerts: [alert(0)] });
    const summary = new ImportSummaryCollector({ now: () => 0 });
    summary.linesRead('web-1', '/var/log/nginx/access.log', 7);
    summary.sinkRows('written', 5);
    summary.linesProcessed('web-1', 'expired', 2);
    view.showSummary(summary.snapshot('chDB at ./data/clickhouse'));
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('import summary'));
    view.stop();
    const frame = terminal.lastFrame();
    expect(frame.indexOf('import summary')).toBeGreaterThan(frame.indexOf(alert(0).message));
    for (const line of ['files read      1', 'lines read      7', 'events stored   5', 'past retention  2', 'store           chDB at ./data/clickhouse']) {
      expect(frame).toContain(line);
    }
  });

  it('starts the ink view on a terminal', async () => {
    const terminal = new FakeTerminal();
    const view = await startTerminalView({ out: terminal as unknown as NodeJS.WritableStream & { isTTY: boolean } });
    view.showAlert(alert(0));
    view.stop();
    expect(terminal.lastFrame()).toContain(`alerts\n${alert(0).message}`);
    expect(terminal.all).toContain('\u001b[31m');
  });
});
