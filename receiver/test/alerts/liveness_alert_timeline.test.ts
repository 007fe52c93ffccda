import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { AlertConfigError, LivenessAlert } from '../../src/alerts/index.js';
import { PROMETHEUS_REPO_DIR, PROMTOOL_BIN, requireBinary } from '../engines/prometheus.js';
import { runTool } from '../rules/run_tool.js';
import { hit } from './traffic.js';

/**
 * The timeline of prometheus/tests/source_silent_test.yml: time starts at the Unix epoch, sftp1
 * sends a line every minute from 0 to 5 min, then nothing until 13 min; web1 sends every minute.
 */
const SFTP1 = [0, 1, 2, 3, 4, 5, 13].map((m) => m * 60);
const WEB1 = Array.from({ length: 15 }, (_, m) => m * 60);

interface Run {
  transitions: AlertTransition[];
  /** Per tick (seconds), the sources silent after it. */
  silentAt: Map<number, string[]>;
  alert: LivenessAlert;
}

/**
 * Drives the evaluator on a fake wall clock: at each step, the lines of that second arrive, then
 * the evaluator ticks (as Prometheus evaluates after the scrape that saw them).
 */
function replay(arrivals: Record<string, number[]>, endSecond: number, stepSeconds: number, silenceMinutes = 5): Run {
  let nowMs = 0;
  const transitions: AlertTransition[] = [];
  const silent = new Set<string>();
  const alert = new LivenessAlert({
    silenceMinutes,
    now: () => nowMs,
    onTransition: (t) => {
      transitions.push(t);
      if (t.state === 'firing') silent.add(t.source!);
      else silent.delete(t.source!);
    },
  });
  const silentAt = new Map<number, string[]>();
  for (let second = 0; second <= endSecond; second += stepSeconds) {
    nowMs = second * 1000;
    for (const [source, seconds] of Object.entries(arrivals)) {
      if (seconds.includes(second)) alert.consume([hit(nowMs, { source, receivedAt: nowMs })]);
    }
    alert.tick();
    silentAt.set(second, [...silent].sort());
  }
  return { transitions, silentAt, alert };
}

/** Prometheus's humanizeDuration for whole seconds: `6m 0s`, `45s`, `1h 0m 5s`. */
function humanizeDuration(seconds: number): string {
  const units: Array<[number, string]> = [[86_400, 'd'], [3600, 'h'], [60, 'm']];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
  }
  parts.push(`${rest}s`);
  return parts.join(' ');
}

/** A promtool unit test of the production rule on the same timeline, expecting what the evaluator said at every minute. */
function promtoolTest(arrivals: Record<string, number[]>, run: Run, endSecond: number, thresholdSeconds: number): string {
  const series = Object.entries(arrivals).map(([source, seconds]) => {
    // The gauge as scraped each minute: the wall time of the source's last line so far.
    const values: string[] = [];
    for (let second = 0; second <= endSecond; second += 60) {
      const last = seconds.filter((s) => s <= second).pop();
      values.push(last === undefined ? '_' : String(last));
    }
    return `      - series: 'logpulse_source_last_event_timestamp_seconds{instance="receiver:9464", job="logpulse", source="${source}"}'\n        values: '${values.join(' ')}'`;
  });
  const evals: string[] = [];
  for (let second = 0; second <= endSecond; second += 60) {
    const silent = run.silentAt.get(second) ?? [];
    const alerts = silent.map((source) => {
      const last = arrivals[source]!.filter((s) => s <= second).pop()!;
      const quiet = humanizeDuration(second - last);
      return [
        '          - exp_labels: { severity: warning, instance: "receiver:9464", job: logpulse, source: ' + source + ' }',
        '            exp_annotations:',
        `              minutes: '${thresholdSeconds / 60}'`,
        `              silent_seconds: '${second - last}'`,
        `              summary: 'Source ${source} has sent no event for ${quiet}.'`,
        `              description: 'The receiver at receiver:9464 last read an event of ${source} ${quiet} ago. Check that the log is still written and readable.'`,
      ].join('\n');
    });
    evals.push(`      - eval_time: ${second / 60}m\n        alertname: SourceSilent\n        exp_alerts:${alerts.length === 0 ? ' []' : `\n${alerts.join('\n')}`}`);
  }
  return [
    'rule_files:',
    `  - ${join(PROMETHEUS_REPO_DIR, 'rules', 'logpulse.yml')}`,
    '  - parameters.yml',
    'evaluation_interval: 1m',
    'tests:',
    '  - interval: 1m',
    '    input_series:',
    ...series,
    '    alert_rule_test:',
    ...evals,
    '',
  ].join('\n');
}

describe('silence alert timeline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logpulse-liveness-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function promtool(test: string, thresholdSeconds: number): Promise<{ code: number; output: string }> {
    const params = `groups:\n  - name: logpulse-parameters\n    rules:\n      - record: logpulse:source_silent_threshold_seconds\n        expr: vector(${thresholdSeconds})\n`;
    await writeFile(join(dir, 'parameters.yml'), params);
    await writeFile(join(dir, 'timeline_test.yml'), test);
    return runTool(requireBinary(PROMTOOL_BIN, 'prometheus'), ['test', 'rules', 'timeline_test.yml'], dir);
  }

  it('declares sftp1 silent at 11 min and resumed at 13 min when evaluated once a minute, as the rule does', async () => {
    const arrivals = { sftp1: SFTP1, web1: WEB1 };
    const run = replay(arrivals, 14 * 60, 60);
    expect(run.transitions).toEqual([
      { alert: 'SourceSilent', source: 'sftp1', state: 'firing', value: 360, at: 660_000, thresholdRps: 0, windowSeconds: 300, message: 'No logs received from sftp1 for 5 minutes' },
      { alert: 'SourceSilent', source: 'sftp1', state: 'resolved', value: 480, at: 780_000, thresholdRps: 0, windowSeconds: 300, message: 'Logs from sftp1 resumed at 1970-01-01T00:13:00.000Z' },
    ]);
    // Exactly 300 s of silence at 10 min is not longer than the threshold.
    expect(run.silentAt.get(600)).toEqual([]);
    const result = await promtool(promtoolTest(arrivals, run, 14 * 60, 300), 300);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('fails the generated promtool test when the evaluator and the rule disagree, so the agreement above means something', async () => {
    const arrivals = { sftp1: SFTP1, web1: WEB1 };
    const run = replay(arrivals, 14 * 60, 60);
    // An evaluator that fired a minute early (at exactly 300 s of silence).
    run.silentAt.set(600, ['sftp1']);
    const result = await promtool(promtoolTest(arrivals, run, 14 * 60, 300), 300);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });

  it('declares silence at the first second past the threshold and resumption at the second the line arrives, with one-second ticks', () => {
    const run = replay({ sftp1: [0, 60, 300, 787] }, 900, 1);
    expect(run.transitions.map((t) => [t.state, t.at / 1000, t.value, t.message])).toEqual([
      ['firing', 601, 301, 'No logs received from sftp1 for 5 minutes'],
      ['resolved', 787, 487, 'Logs from sftp1 resumed at 1970-01-01T00:13:07.000Z'],
    ]);
  });

  it('agrees with the rule for a one-minute threshold and two sources silent at once', async () => {
    const arrivals = { a: [0, 60, 120, 600], b: [0, 60, 120, 180, 240, 660], c: WEB1 };
    const run = replay(arrivals, 14 * 60, 60, 1);
    expect(run.transitions.map((t) => [t.source, t.state, t.at / 1000])).toEqual([
      ['a', 'firing', 240], ['b', 'firing', 360], ['a', 'resolved', 600], ['b', 'resolved', 660],
      // Both fall silent again after their last line.
      ['a', 'firing', 720], ['b', 'firing', 780],
    ]);
    const result = await promtool(promtoolTest(arrivals, run, 14 * 60, 60), 60);
    expect(result.code, result.output).toBe(0);
  });

  it('never alerts on a retired source, and tracks sources learned from the data only', () => {
    let nowMs = 0;
    const transitions: AlertTransition[] = [];
    const alert = new LivenessAlert({ silenceMinutes: 1, retiredSources: ['old-web'], now: () => nowMs, onTransition: (t) => transitions.push(t) });
    alert.consume([hit(0, { source: 'old-web' }), hit(0, { source: 'web-2' })]);
    nowMs = 3_600_000;
    alert.tick();
    expect(transitions.map((t) => t.source)).toEqual(['web-2']);
    expect(alert.stats).toEqual({ trackedSources: 1, silentSources: 1, forgottenSources: 0, retiredEvents: 1 });
  });

  it('keeps at most maxSources, forgetting the one heard from longest ago', () => {
    let nowMs = 0;
    const transitions: AlertTransition[] = [];
    const alert = new LivenessAlert({ silenceMinutes: 1, maxSources: 3, now: () => nowMs, onTransition: (t) => transitions.push(t) });
    for (const source of ['a', 'b', 'c']) {
      nowMs += 1000;
      alert.consume([hit(nowMs, { source })]);
    }
    // a is heard again: b is now the one heard from longest ago.
    nowMs += 1000;
    alert.consume([hit(nowMs, { source: 'a' })]);
    for (let i = 0; i < 1000; i += 1) alert.consume([hit(nowMs, { source: `scan-${i}` })]);
    expect(alert.stats.trackedSources).toBe(3);
    expect(alert.stats.forgottenSources).toBe(1000);
    nowMs += 120_000;
    alert.tick();
    expect(transitions.map((t) => t.source)).toEqual(['scan-997', 'scan-998', 'scan-999']);
  });

  it('refuses a silence threshold that is not a positive number of minutes', () => {
    expect(() => new LivenessAlert({ silenceMinutes: 0 })).toThrow(AlertConfigError);
    expect(() => new LivenessAlert({ silenceMinutes: Number.NaN })).toThrow('silence alert: silenceMinutes: expected a positive number of minutes, got null');
  });
});
