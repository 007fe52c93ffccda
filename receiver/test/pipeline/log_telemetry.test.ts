import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logTelemetry } from '../../src/pipeline/log_telemetry.js';

function logCollector(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(stream), lines };
}

const FILE = '/var/log/nginx/access.log';

describe('log telemetry of a live receiver', () => {
  it('samples one invalid line per reason per minute and sums up the rest once a minute', () => {
    const { logger, lines } = logCollector();
    let now = 0;
    const log = logTelemetry(logger, { now: () => now });
    log.invalidLine('web-1', FILE, 0, 'truncated line', 'first truncated');
    log.invalidLine('web-1', FILE, 10, 'truncated line', 'second truncated');
    log.invalidLine('web-1', FILE, 20, 'bad timestamp', 'first bad time');
    now = 30_000;
    for (let i = 0; i < 5; i++) log.invalidLine('web-1', FILE, 100 + i, 'truncated line', 'more');
    log.invalidLine('web-1', FILE, 200, 'bad timestamp', 'another bad time');
    expect(lines.map((l) => l.msg)).toEqual(['invalid line skipped', 'invalid line skipped']);
    expect(lines.map((l) => [l.reason, l.line, l.offset])).toEqual([['truncated line', 'first truncated', 0], ['bad timestamp', 'first bad time', 20]]);

    now = 60_000;
    // A new minute: this reason's next line is a sample, and what was left out is summed up.
    log.invalidLine('web-1', FILE, 300, 'truncated line', 'a minute later');
    expect(lines.slice(2).map((l) => l.msg)).toEqual([
      'invalid line skipped',
      '7 invalid lines since last sample: truncated line: 6, bad timestamp: 1',
    ]);
    expect(lines[2]?.line).toBe('a minute later');
    expect(lines[3]).toMatchObject({ skipped: 7, reasons: { 'truncated line': 6, 'bad timestamp': 1 } });

    // Nothing left out since: no summary line, neither when lines flow nor at shutdown.
    now = 125_000;
    log.linesProcessed('web-1', 'parsed', 10);
    log.flush();
    expect(lines).toHaveLength(4);
  });

  it('sums up at shutdown what was left out since the last sample', () => {
    const { logger, lines } = logCollector();
    let now = 0;
    const log = logTelemetry(logger, { now: () => now });
    for (let i = 0; i < 4; i++) log.invalidLine('web-1', FILE, i, 'no request line', `line ${i}`);
    now = 10_000;
    log.flush();
    expect(lines.map((l) => l.msg)).toEqual(['invalid line skipped', '3 invalid lines since last sample: no request line: 3']);
  });

  it('keeps a bounded number of reasons: later ones share one sample', () => {
    const { logger, lines } = logCollector();
    const log = logTelemetry(logger, { now: () => 0, maxReasons: 2 });
    for (const reason of ['a', 'b', 'c', 'd', 'e']) log.invalidLine('web-1', FILE, 0, reason, reason);
    log.flush();
    expect(lines.map((l) => l.msg)).toEqual([
      'invalid line skipped',
      'invalid line skipped',
      'invalid line skipped',
      '2 invalid lines since last sample: other reasons: 2',
    ]);
    expect(lines.map((l) => l.reason).slice(0, 3)).toEqual(['a', 'b', 'c']);
  });

  it('notices lines past the retention at most once a minute, with their number', () => {
    const { logger, lines } = logCollector();
    let now = 0;
    const log = logTelemetry(logger, { now: () => now });
    log.linesProcessed('web-1', 'expired', 40);
    now = 20_000;
    log.linesProcessed('web-1', 'expired', 2);
    log.linesProcessed('web-1', 'expired', 3);
    now = 60_000;
    log.linesProcessed('web-1', 'expired', 1);
    expect(lines.map((l) => l.msg)).toEqual([
      '40 lines dated before the retention (--retention-days) were not stored',
      '6 lines dated before the retention (--retention-days) were not stored',
    ]);
  });

  it('sums syslog refusals into at most one line a minute, and the rest at shutdown; accepted messages are not logged', () => {
    const { logger, lines } = logCollector();
    let now = 0;
    const log = logTelemetry(logger, { now: () => now });
    log.syslogMessages('udp', 'accepted', 500);
    log.syslogConnection('accepted');
    log.syslogMessages('udp', 'unparseable', 1);
    now = 20_000;
    log.syslogMessages('udp', 'unparseable', 3);
    log.syslogMessages('tcp', 'too_large', 2);
    for (let i = 0; i < 1_000; i++) log.syslogConnection('evicted');
    expect(lines.map((l) => l.msg)).toEqual(['syslog input refused since last notice: udp messages unparseable: 1']);
    now = 61_000;
    log.syslogConnection('framing_error');
    now = 70_000;
    log.syslogMessages('udp', 'dropped', 7);
    log.flush();
    expect(lines.slice(1).map((l) => l.msg)).toEqual([
      'syslog input refused since last notice: udp messages unparseable: 3, tcp messages too_large: 2, connections evicted: 1000, connections framing_error: 1',
      'syslog input refused since last notice: udp messages dropped: 7',
    ]);
  });
});
