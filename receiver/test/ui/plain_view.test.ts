import { describe, expect, it } from 'vitest';
import { highTrafficMessage, trafficRecoveredMessage } from '../../src/alerts/index.js';
import type { AlertTransition } from '../../src/alerts/index.js';
import type { Progress } from '../../src/ui/index.js';
import { PeriodStats, createView, startTerminalView } from '../../src/ui/index.js';
import { START_MS, request, transfer } from './events.js';

function period(): ReturnType<PeriodStats['cut']> {
  let wallMs = START_MS;
  const stats = new PeriodStats({ now: () => wallMs, topN: 3 });
  stats.consume([
    request('/pages/create', '/pages', 200, 1_250_000, { user: 'james' }),
    request('/pages/create', '/pages', 200, 2000, { user: 'james' }),
    request('/api/user', '/api', 404, 150, { user: 'mary', client: '2001:db8::1' }),
    transfer('upload', 'alice', 10_485_760),
    transfer('download', 'bob', 3_000_000),
  ]);
  stats.countInvalid(2);
  wallMs += 10_000;
  return stats.cut();
}

const firing: AlertTransition = {
  alert: 'HighTraffic',
  state: 'firing',
  value: 10.25,
  at: START_MS + 40_000,
  thresholdRps: 10,
  windowSeconds: 120,
  message: highTrafficMessage(10.25, START_MS + 40_000),
};
const resolved: AlertTransition = { ...firing, state: 'resolved', value: 9.75, at: START_MS + 140_000, message: trafficRecoveredMessage(9.75, START_MS + 140_000) };

/**
 * Collects what a view writes, as a pipe or a redirected file would receive it. A test double for
 * the process's stdout: the view only calls `write` (and reads `isTTY` to choose its mode).
 */
function collect(): { out: NodeJS.WritableStream & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const out = { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream;
  return { out, text: () => chunks.join('') };
}

describe('plain view', () => {
  it('prints one aligned block per period and each alert as its exact message', async () => {
    const { out, text } = collect();
    let progress: Progress = { bytesRead: 1_200_000, bytesTotal: 3_400_000 };
    const view = await createView({ mode: 'plain', out, progress: () => progress });
    view.showPeriod(period());
    view.showAlert(firing);
    progress = { bytesRead: 3_400_000, bytesTotal: 3_400_000 };
    view.showPeriod({ ...period(), startMs: START_MS + 10_000, endMs: START_MS + 20_000 });
    view.showAlert(resolved);
    view.stop();
    view.showAlert(firing);

    expect(text()).toBe(
      [
        '--- 2026-11-22 10:00:00 - 10:00:10 UTC ---',
        'catching up  [##########--------------------]  35%  1.2 MB of 3.4 MB',
        'hits         3   0.3 req/s   1.3 MB',
        'status       2xx 2   3xx 0   4xx 1   5xx 0   other 0',
        'sections     /pages 2 (1.3 MB)   /api 1 (150 B)',
        'users        james 2 (1.3 MB)   mary 1 (150 B)',
        'clients      203.0.113.7 2 (1.3 MB)   2001:db8::1 1 (150 B)',
        'sftp         1 uploads (10.5 MB)   1 downloads (3.0 MB)',
        'sftp users   alice 1 up 10.5 MB / 0 down 0 B   bob 0 up 0 B / 1 down 3.0 MB',
        'invalid      2 lines',
        'High traffic generated an alert - hits = 10.25, triggered at 2026-11-22T10:00:40.000Z',
        '--- 2026-11-22 10:00:10 - 10:00:20 UTC ---',
        'hits         3   0.3 req/s   1.3 MB',
        'status       2xx 2   3xx 0   4xx 1   5xx 0   other 0',
        'sections     /pages 2 (1.3 MB)   /api 1 (150 B)',
        'users        james 2 (1.3 MB)   mary 1 (150 B)',
        'clients      203.0.113.7 2 (1.3 MB)   2001:db8::1 1 (150 B)',
        'sftp         1 uploads (10.5 MB)   1 downloads (3.0 MB)',
        'sftp users   alice 1 up 10.5 MB / 0 down 0 B   bob 0 up 0 B / 1 down 3.0 MB',
        'invalid      2 lines',
        'Traffic recovered - hits = 9.75, recovered at 2026-11-22T10:02:20.000Z',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the lines of traffic a period did not have', async () => {
    const { out, text } = collect();
    const view = await createView({ mode: 'plain', out });
    view.showPeriod(new PeriodStats({ now: () => START_MS }).cut());
    expect(text()).toBe(
      ['--- 2026-11-22 10:00:00 - 10:00:00 UTC ---', 'hits         0   0.0 req/s   0 B', 'status       2xx 0   3xx 0   4xx 0   5xx 0   other 0', ''].join('\n'),
    );
  });

  it('shows the top virtual hosts, with hits and bytes, when requests name one', async () => {
    const { out, text } = collect();
    let wallMs = START_MS;
    const stats = new PeriodStats({ now: () => wallMs, topN: 2 });
    stats.consume([
      request('/wiki/Main_Page', '/wiki', 200, 15_234, { vhost: 'www.example.org', client: '2001:db8::5' }),
      request('/', '/', 200, 3380, { vhost: 'www.example.org' }),
      request('/feed/', '/feed', 301, 571, { vhost: 'blog.example.org', client: '198.51.100.7' }),
      request('', '(no path)', 408, 0, { vhost: '127.0.1.1', client: '192.0.2.9' }),
    ]);
    wallMs += 10_000;
    const view = await createView({ mode: 'plain', out });
    view.showPeriod(stats.cut());
    expect(text()).toBe(
      [
        '--- 2026-11-22 10:00:00 - 10:00:10 UTC ---',
        'hits         4   0.4 req/s   19.2 kB',
        'status       2xx 2   3xx 1   4xx 1   5xx 0   other 0',
        'vhosts       www.example.org 2 (18.6 kB)   blog.example.org 1 (571 B)',
        'sections     /wiki 1 (15.2 kB)   / 1 (3.4 kB)',
        'clients      2001:db8::5 1 (15.2 kB)   203.0.113.7 1 (3.4 kB)',
        '',
      ].join('\n'),
    );
  });

  it('chooses plain text when the output is not a terminal or --no-tui is given', async () => {
    const pipe = collect();
    (await startTerminalView({ out: pipe.out })).showAlert(firing);
    expect(pipe.text()).toBe(`${firing.message}\n`);

    const terminal = collect();
    Object.assign(terminal.out, { isTTY: true });
    (await startTerminalView({ out: terminal.out, noTui: true })).showAlert(resolved);
    expect(terminal.text()).toBe(`${resolved.message}\n`);
  });
});

describe('plain view output', () => {
  it('stops writing instead of crashing when the reader of its pipe has gone', async () => {
    const { Writable } = await import('node:stream');
    let writes = 0;
    const out = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        callback(error);
      },
    });
    const errors: Error[] = [];
    const view = await createView({ mode: 'plain', out, onOutputError: (e) => errors.push(e) });
    view.showAlert(firing);
    await new Promise((resolve) => setImmediate(resolve));
    view.showAlert(resolved);
    view.showPeriod(period());
    view.stop();
    expect(writes).toBe(1);
    expect(errors.map((e) => e.message)).toEqual(['write EPIPE']);
  });
});
