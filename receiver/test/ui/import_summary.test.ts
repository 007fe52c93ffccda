import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/event.js';
import { ImportSummaryCollector, importSummaryBlock } from '../../src/ui/index.js';

const FILE = '/var/log/nginx/access.log';
const event = (ts: number) => ({ ts }) as Event;

describe('import summary', () => {
  it('says what an import did: files, lines, rows stored, invalid lines by reason with a sample, retention, times, store, speed', () => {
    let now = 1_000;
    const summary = new ImportSummaryCollector({ now: () => now });
    summary.linesRead('web-1', FILE, 9_000);
    summary.linesRead('web-1', FILE, 1_000);
    summary.linesRead('web-1', `${FILE}.1`, 2_500);
    summary.fileSkipped('web-1', '/var/log/nginx/error.log', 'not an access log');
    summary.pathUnreadable('/var/log/secure/access.log', 'EACCES');
    summary.linesProcessed('web-1', 'parsed', 12_400);
    summary.linesProcessed('web-1', 'invalid', 100);
    summary.linesProcessed('web-1', 'expired', 400);
    summary.linesProcessed('web-1', 'truncated', 3);
    for (let i = 0; i < 97; i++) summary.invalidLine('web-1', FILE, 4_096 + i, 'no request line', i === 0 ? 'GET\t/\u0000' : 'later');
    for (let i = 0; i < 3; i++) summary.invalidLine('web-1', FILE, 10 + i, 'timestamp out of range (1970 to 2199)', `line ${i}`);
    summary.consume([event(Date.UTC(2025, 2, 3, 8, 14, 2)), event(Date.UTC(2025, 2, 1, 0, 0, 0, 999))]);
    summary.consume([event(Date.UTC(2025, 2, 31, 23, 59, 59))]);
    summary.sinkRows('written', 10_000);
    summary.sinkRows('retried', 2_000);
    summary.sinkRows('written', 2_000);
    now = 5_000;
    expect(importSummaryBlock(summary.snapshot('http://logpulse@clickhouse:8123/'))).toBe(
      [
        '--- import summary ---',
        'files read      2',
        'files skipped   1: /var/log/nginx/error.log (not an access log)',
        'paths not read  1: /var/log/secure/access.log (EACCES)',
        'lines read      12,500',
        'events stored   12,000',
        'invalid lines   100',
        '                no request line: 97, first at byte 4096 of /var/log/nginx/access.log: "GET\\t/\\u0000"',
        '                timestamp out of range (1970 to 2199): 3, first at byte 10 of /var/log/nginx/access.log: "line 0"',
        'past retention  400',
        'event times     2025-03-01T00:00:00Z .. 2025-03-31T23:59:59Z',
        'store           http://logpulse@clickhouse:8123/',
        'elapsed         4.00 s, 3,125 lines/s',
        '',
      ].join('\n'),
    );
  });

  it('keeps a bounded number of reasons, samples and names', () => {
    const summary = new ImportSummaryCollector({ now: () => 0, maxReasons: 2, maxNamed: 1 });
    for (const reason of ['a', 'b', 'c', 'd']) summary.invalidLine('web-1', FILE, 0, reason, `sample ${reason}`);
    summary.fileSkipped('web-1', 'x.log', 'not an access log');
    summary.fileSkipped('web-1', 'y.log', 'not an access log');
    const snapshot = summary.snapshot('chDB at ./data/clickhouse');
    expect(snapshot.invalidByReason.map((r) => [r.reason, r.count, r.sample])).toEqual([['other reasons', 2, 'sample c'], ['a', 1, 'sample a'], ['b', 1, 'sample b']]);
    expect(importSummaryBlock(snapshot)).toContain('files skipped   2: x.log (not an access log), 1 more\n');
    expect(importSummaryBlock(snapshot)).toContain('event times     no events\n');
  });
});
