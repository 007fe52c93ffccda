import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceResumedMessage, sourceSilentMessage, type AlertTransition } from '../../src/alerts/index.js';
import { IngestMinutes, type IngestRow } from '../../src/pipeline/ingest_minutes.js';
import { ClickHouseSink } from '../../src/sinks/index.js';
import { runLogpulse } from '../e2e/logpulse_process.js';
import { fixtureEvents, RecordingLogger, tempDir } from '../sinks/sink_fixtures.js';

/**
 * `logpulse report` on fixture data written through the receiver's own sink: the nginx and SFTPGo
 * events of the sink fixtures, received 2 s after they were logged (web-1's 09:59:59.999 line is
 * received in the 10:00 hour), the line counts of the minutes they were read in (an invalid TLS
 * handshake, a truncated SFTPGo line), silences and a traffic alert. Every format, exact rows.
 */

const dataDir = tempDir('report');
const UGLY = 'lb-1,"eu"<x>';
const at = (iso: string): number => Date.parse(iso);

function silent(source: string, iso: string, state: 'firing' | 'resolved'): AlertTransition {
  const ms = at(iso);
  const message = state === 'firing' ? sourceSilentMessage(source, 5) : sourceResumedMessage(source, ms);
  return { alert: 'SourceSilent', source, state, value: 360, at: ms, thresholdRps: 0, windowSeconds: 300, message };
}

/** Line counts as the receiver's telemetry gives them, on a fake clock: what was read when. */
function ingestRows(): IngestRow[] {
  let nowMs = 0;
  const rows: IngestRow[] = [];
  const minutes = new IngestMinutes({ now: () => nowMs, write: (r) => rows.push(...r) });
  const t = minutes.telemetry;
  const read = (iso: string, source: string, lines: number, parsed: number, invalid = 0, truncated = 0): void => {
    nowMs = at(iso);
    t.linesRead(source, '/var/log/x.log', lines);
    if (parsed > 0) t.linesProcessed(source, 'parsed', parsed);
    if (invalid > 0) t.linesProcessed(source, 'invalid', invalid);
    if (truncated > 0) t.linesProcessed(source, 'truncated', truncated);
    minutes.closePast();
  };
  read('2024-03-04T09:15:04Z', 'web-1', 1, 1);
  // A TLS handshake on the plain port (invalid) and a blank line, beside one request.
  read('2024-03-04T09:40:12Z', 'web-1', 3, 1, 1);
  read('2024-03-04T10:00:01.999Z', 'web-1', 1, 1);
  read('2024-03-04T10:05:02Z', 'web-2', 2, 1);
  read('2024-03-04T10:20:02Z', 'sftp-1', 1, 1);
  read('2024-03-04T10:25:02Z', 'sftp-1', 1, 1);
  read('2024-03-04T10:30:02Z', 'sftp-1', 1, 1);
  read('2024-03-04T10:31:00Z', 'sftp-1', 1, 0, 1, 1);
  read('2024-03-05T14:00:02Z', 'web-1', 2, 2);
  read('2024-03-05T14:10:02Z', 'sftp-1', 1, 1);
  read('2024-03-05T14:20:02Z', 'sftp-1', 1, 1);
  minutes.shutdown();
  return rows;
}

beforeAll(async () => {
  const rows = ingestRows();
  // Two runs of one receiver: the first stores the first day, the second the rest and resends
  // its first minute (a retry): replaced, not added.
  const first = new ClickHouseSink({ dataDir, retentionDays: 3_650, host: 'recv-1', logger: new RecordingLogger() });
  await first.start();
  const events = fixtureEvents().map((e) => ({ ...e, receivedAt: e.ts + 2000 }));
  await first.write(events, () => {});
  const firstDay = rows.filter((r) => r.minuteMs < at('2024-03-05T00:00:00Z'));
  await first.writeIngest(firstDay);
  await first.writeAlert({ alert: 'HighTraffic', state: 'firing', value: 12.5, at: at('2024-03-04T10:02:00Z'), thresholdRps: 10, windowSeconds: 120, message: 'High traffic generated an alert - hits = 12.50, triggered at 2024-03-04T10:02:00.000Z' });
  await first.writeAlert({ alert: 'HighTraffic', state: 'resolved', value: 8.25, at: at('2024-03-04T10:20:00Z'), thresholdRps: 10, windowSeconds: 120, message: 'Traffic recovered - hits = 8.25, recovered at 2024-03-04T10:20:00.000Z' });
  await first.writeAlert(silent('web-2', '2024-03-04T10:11:00Z', 'firing'));
  await first.shutdown();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = new ClickHouseSink({ dataDir, retentionDays: 3_650, host: 'recv-1', logger: new RecordingLogger() });
  await second.start();
  const secondDay = rows.filter((r) => r.minuteMs >= at('2024-03-05T00:00:00Z'));
  await second.writeIngest(secondDay);
  await second.writeIngest(secondDay.slice(0, 1));
  await second.writeAlert(silent('sftp-1', '2024-03-05T14:26:00Z', 'firing'));
  await second.writeAlert(silent('sftp-1', '2024-03-05T14:40:00Z', 'resolved'));
  await second.writeAlert(silent(UGLY, '2024-03-05T14:40:00Z', 'firing'));
  await second.shutdown();
}, 60_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function report(...args: string[]): Promise<string> {
  const result = await runLogpulse(['report', '--data-dir', dataDir, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const TWO_DAYS = ['--since', '2d', '--until', '2024-03-06T00:00:00Z'];

describe('logpulse report', () => {
  it('gives per source and hour the lines, events, bytes, invalid lines, silences and alerts as CSV', async () => {
    expect(await report(...TWO_DAYS, '--format', 'csv')).toBe([
      'period,source,lines,events,bytes,invalid,silent_periods,alerts',
      '2024-03-04T09:00:00Z,web-1,4,2,1510,1,0,0',
      '2024-03-04T10:00:00Z,(all),0,0,0,0,0,1',
      '2024-03-04T10:00:00Z,sftp-1,4,3,1054720,1,0,0',
      '2024-03-04T10:00:00Z,web-1,1,1,90,0,0,0',
      '2024-03-04T10:00:00Z,web-2,2,1,5120,0,1,1',
      '2024-03-05T14:00:00Z,"lb-1,""eu""<x>",0,0,0,0,1,1',
      '2024-03-05T14:00:00Z,sftp-1,2,2,532480,0,1,1',
      '2024-03-05T14:00:00Z,web-1,2,2,1300,0,0,0',
      '',
    ].join('\r\n'));
  }, 30_000);

  it('sums by day, and leaves out what was received at or after --until', async () => {
    expect(await report(...TWO_DAYS, '--by', 'day', '--format', 'csv')).toBe([
      'period,source,lines,events,bytes,invalid,silent_periods,alerts',
      '2024-03-04T00:00:00Z,(all),0,0,0,0,0,1',
      '2024-03-04T00:00:00Z,sftp-1,4,3,1054720,1,0,0',
      '2024-03-04T00:00:00Z,web-1,5,3,1600,1,0,0',
      '2024-03-04T00:00:00Z,web-2,2,1,5120,0,1,1',
      '2024-03-05T00:00:00Z,"lb-1,""eu""<x>",0,0,0,0,1,1',
      '2024-03-05T00:00:00Z,sftp-1,2,2,532480,0,1,1',
      '2024-03-05T00:00:00Z,web-1,2,2,1300,0,0,0',
      '',
    ].join('\r\n'));
    // web-1's line logged at 09:59:59.999 was received at 10:00:01.999: not in the 09:00 hour.
    expect(await report('--since', '1h', '--until', '2024-03-04T10:00:00Z', '--format', 'csv')).toBe(
      'period,source,lines,events,bytes,invalid,silent_periods,alerts\r\n2024-03-04T09:00:00Z,web-1,4,2,1510,1,0,0\r\n',
    );
  }, 30_000);

  it('prints an aligned table with a total line', async () => {
    expect(await report('--since', '1d', '--until', '2024-03-05T00:00:00Z')).toBe([
      'logpulse report 2024-03-04T00:00:00Z .. 2024-03-05T00:00:00Z, by hour',
      'period                source  lines  events    bytes  invalid  silent_periods  alerts',
      '--------------------  ------  -----  ------  -------  -------  --------------  ------',
      '2024-03-04T09:00:00Z  web-1       4       2     1510        1               0       0',
      '2024-03-04T10:00:00Z  (all)       0       0        0        0               0       1',
      '2024-03-04T10:00:00Z  sftp-1      4       3  1054720        1               0       0',
      '2024-03-04T10:00:00Z  web-1       1       1       90        0               0       0',
      '2024-03-04T10:00:00Z  web-2       2       1     5120        0               1       1',
      '--------------------  ------  -----  ------  -------  -------  --------------  ------',
      'total                            11       7  1061440        2               1       2',
      '',
    ].join('\n'));
  }, 30_000);

  it('gives JSON with the window and numbers as numbers', async () => {
    const json = JSON.parse(await report('--since', '1d', '--until', '2024-03-06T00:00:00Z', '--format', 'json')) as unknown;
    expect(json).toEqual({
      from: '2024-03-05T00:00:00Z',
      to: '2024-03-06T00:00:00Z',
      by: 'hour',
      rows: [
        { period: '2024-03-05T14:00:00Z', source: UGLY, lines: 0, events: 0, bytes: 0, invalid: 0, silent_periods: 1, alerts: 1 },
        { period: '2024-03-05T14:00:00Z', source: 'sftp-1', lines: 2, events: 2, bytes: 532480, invalid: 0, silent_periods: 1, alerts: 1 },
        { period: '2024-03-05T14:00:00Z', source: 'web-1', lines: 2, events: 2, bytes: 1300, invalid: 0, silent_periods: 0, alerts: 0 },
      ],
    });
  }, 30_000);

  it('gives a self-contained HTML page to mail, source names escaped', async () => {
    const html = await report('--since', '1d', '--until', '2024-03-06T00:00:00Z', '--format', 'html');
    expect(html.startsWith('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>logpulse report 2024-03-05T00:00:00Z .. 2024-03-06T00:00:00Z, by hour</title></head>')).toBe(true);
    const cells = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]));
    expect(cells).toEqual([
      ['period', 'source', 'lines', 'events', 'bytes', 'invalid', 'silent_periods', 'alerts'],
      ['2024-03-05T14:00:00Z', 'lb-1,&quot;eu&quot;&lt;x&gt;', '0', '0', '0', '0', '1', '1'],
      ['2024-03-05T14:00:00Z', 'sftp-1', '2', '2', '532480', '0', '1', '1'],
      ['2024-03-05T14:00:00Z', 'web-1', '2', '2', '1300', '0', '0', '0'],
      ['total', '', '4', '4', '533780', '0', '2', '2'],
    ]);
    // Nothing to fetch: no style sheet, script or image.
    expect(html).not.toMatch(/<(link|script|img)\b|src=|href=/);
    expect(html.endsWith('</body></html>\n')).toBe(true);
  }, 30_000);

  it('says so when nothing was stored in the window, and refuses a span it cannot read', async () => {
    expect(await report('--since', '1h', '--until', '2020-01-01T00:00:00Z')).toBe('logpulse report 2019-12-31T23:00:00Z .. 2020-01-01T00:00:00Z, by hour\nnothing stored in this window\n');
    const bad = await runLogpulse(['report', '--data-dir', dataDir, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('logpulse: --since: expected a span back from now like 90m, 1h or 7d, got "yesterday"\n');
  }, 30_000);
});
