import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findGoAccess } from '../../bench/goaccess_bench.js';
import { createAutoParser } from '../../src/parsers/index.js';
import type { Event } from '../../src/model/event.js';
import { generateAccessLog } from './access_log_generator.js';

/**
 * logpulse against GoAccess on the same generated logs, combined and vhost_combined, holding every
 * class of line real servers write. Stored events, bytes, status codes, distinct clients (and
 * hits per virtual host) must equal GoAccess's valid requests, bandwidth, status codes, hosts (and
 * virtual hosts).
 *
 * Two classes are left out of the equality by design, and checked apart:
 * - a CLF line inside a combined file: GoAccess's COMBINED format requires `"%R" "%u"` after the
 *   bytes and counts the line as failed; logpulse stores it, with empty referer and user agent;
 * - a line that ends right after its request (`... "GET / HTTP/1.1"`): GoAccess counts it as a valid
 *   request with no status and no bytes (it appears in no status code); logpulse calls it invalid
 *   ("no status"), as a response it cannot say anything of is not a hit.
 */

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'logpulse-goaccess-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface GoAccessReport {
  general: { total_requests: number; valid_requests: number; failed_requests: number; bandwidth: number };
  status_codes: { data: Array<{ items: Array<{ data: string; hits: { count: number } }> }> };
  hosts: { metadata: { data: { total: { value: number } } } };
  vhosts?: { data: Array<{ data: string; hits: { count: number } }> };
}

function goaccessBinary(): string {
  const binary = findGoAccess();
  // A missing engine fails the test, never skips it.
  if (binary === undefined) throw new Error('goaccess is not installed: apt-get install goaccess');
  return binary;
}

async function goaccess(lines: readonly string[], logFormat: string, name: string): Promise<GoAccessReport> {
  const file = path.join(dir, `${name}.log`);
  const report = path.join(dir, `${name}.json`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  await execFileAsync(goaccessBinary(), ['--no-global-config', '--no-progress', `--log-format=${logFormat}`, '-o', report, file]);
  return JSON.parse(readFileSync(report, 'utf8')) as GoAccessReport;
}

interface Tally {
  events: Event[];
  invalid: string[];
}

function logpulse(lines: readonly string[]): Tally {
  const parser = createAutoParser();
  const tally: Tally = { events: [], invalid: [] };
  for (const line of lines) {
    const result = parser.parse(line);
    if (result.kind === 'event') tally.events.push(result.fields);
    else if (result.kind === 'invalid') tally.invalid.push(result.reason);
  }
  return tally;
}

function countBy<T>(values: readonly T[], key: (value: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
  return counts;
}

function goaccessStatuses(report: GoAccessReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const group of report.status_codes.data) for (const item of group.items) counts[item.data.slice(0, 3)] = item.hits.count;
  return counts;
}

function expectSameNumbers(ours: Tally, theirs: GoAccessReport, lines: number): void {
  expect(theirs.general.total_requests).toBe(lines);
  expect(ours.events.length).toBe(theirs.general.valid_requests);
  expect(ours.invalid).toEqual([]);
  expect(ours.events.reduce((sum, e) => sum + e.bytes, 0)).toBe(theirs.general.bandwidth);
  expect(countBy(ours.events, (e) => String(e.status))).toEqual(goaccessStatuses(theirs));
  expect(new Set(ours.events.map((e) => e.client)).size).toBe(theirs.hosts.metadata.data.total.value);
}

describe('logpulse and GoAccess on the same access logs', () => {
  it('agree on a combined log with scanner lines, junk requests and cut-off user agents', async () => {
    const log = generateAccessLog(13, 3000, { vhost: false, extra: false });
    const ours = logpulse(log.lines);
    expectSameNumbers(ours, await goaccess(log.lines, 'COMBINED', 'combined'), 3000);
    // Every class is really there.
    expect(countBy(ours.events, (e) => e.section)['(no path)']).toBeGreaterThan(500);
    expect(ours.events.some((e) => e.method === 'CONNECT') && ours.events.some((e) => e.method === 'PRI')).toBe(true);
  });

  it('agree on a vhost_combined log, hits per virtual host included', async () => {
    const log = generateAccessLog(14, 3000, { vhost: true, extra: false });
    const ours = logpulse(log.lines);
    const theirs = await goaccess(log.lines, 'VCOMBINED', 'vcombined');
    expectSameNumbers(ours, theirs, 3000);
    const theirVhosts = Object.fromEntries((theirs.vhosts?.data ?? []).map((v) => [v.data, v.hits.count]));
    expect(countBy(ours.events, (e) => e.vhost)).toEqual(theirVhosts);
    expect(Object.keys(theirVhosts)).toHaveLength(4);
  });

  it('differ only by the CLF lines logpulse keeps and the status-less lines it refuses', async () => {
    const log = generateAccessLog(15, 3000, { vhost: false, extra: true });
    expect(log.clfLines).toBeGreaterThan(50);
    expect(log.noStatusLines).toBeGreaterThan(10);
    const ours = logpulse(log.lines);
    const theirs = await goaccess(log.lines, 'COMBINED', 'combined-extra');
    expect(theirs.general.failed_requests).toBe(log.clfLines);
    expect(ours.events.length).toBe(theirs.general.valid_requests - log.noStatusLines + log.clfLines);
    expect(ours.invalid).toEqual(Array.from({ length: log.noStatusLines }, () => 'no status'));
    // On the lines both define, the numbers are the same.
    const both = log.lines.filter((_, i) => log.classes[i] === '');
    expectSameNumbers(logpulse(both), await goaccess(both, 'COMBINED', 'combined-both'), both.length);
  });
});
