import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { AlertHistory, AlertHistoryError, TrafficAlert, highTrafficMessage, sourceSilentMessage, trafficRecoveredMessage } from '../../src/alerts/index.js';
import { T0, steady } from './traffic.js';

function transition(n: number): AlertTransition {
  const firing = n % 2 === 0;
  const at = (T0 + n * 60) * 1000;
  const value = firing ? 10.25 + n : 9.75;
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

describe('alert history', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'logpulse-alerts-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('appends each transition as one JSON line and loads them back after a restart', async () => {
    const first = new AlertHistory({ dataDir: join(dataDir, 'nested') });
    await first.start();
    expect(first.recent()).toEqual([]);
    first.record(transition(0));
    first.record(transition(1));
    await first.shutdown();
    await first.shutdown();

    const text = await readFile(join(dataDir, 'nested', 'alerts.jsonl'), 'utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(transition(0));

    const second = new AlertHistory({ dataDir: join(dataDir, 'nested') });
    await second.start();
    expect(second.recent()).toEqual([transition(0), transition(1)]);
    second.record(transition(2));
    await second.shutdown();
    expect((await readFile(second.path, 'utf8')).trimEnd().split('\n')).toHaveLength(3);
  });

  it('keeps the source of a silence transition, and loads lines written before sources existed', async () => {
    const at = (T0 + 301) * 1000;
    const silent: AlertTransition = { alert: 'SourceSilent', source: 'web-2', state: 'firing', value: 301, at, thresholdRps: 0, windowSeconds: 300, message: sourceSilentMessage('web-2', 5) };
    // A HighTraffic line as earlier versions wrote it: no source key.
    await writeFile(join(dataDir, 'alerts.jsonl'), `${JSON.stringify(transition(0))}\n`);
    const history = new AlertHistory({ dataDir });
    await history.start();
    history.record(silent);
    await history.shutdown();
    const lines = (await readFile(history.path, 'utf8')).trimEnd().split('\n');
    expect(lines[1]).toBe(`{"alert":"SourceSilent","source":"web-2","state":"firing","value":301,"at":${at},"thresholdRps":0,"windowSeconds":300,"message":"No logs received from web-2 for 5 minutes"}`);
    const again = new AlertHistory({ dataDir });
    await again.start();
    expect(again.recent()).toEqual([transition(0), silent]);
    await again.shutdown();
  });

  it('loads only the last transitions of a long history', async () => {
    const all = Array.from({ length: 3000 }, (_, n) => transition(n));
    await writeFile(join(dataDir, 'alerts.jsonl'), all.map((t) => `${JSON.stringify(t)}\n`).join(''));
    const history = new AlertHistory({ dataDir });
    await history.start();
    expect(history.recent()).toEqual(all.slice(-50));
    history.record(transition(3000));
    expect(history.recent()).toHaveLength(50);
    expect(history.recent().at(-1)).toEqual(transition(3000));
    await history.shutdown();

    const few = new AlertHistory({ dataDir, keepLast: 3 });
    await few.start();
    expect(few.recent()).toEqual([transition(2998), transition(2999), transition(3000)]);
    await few.shutdown();
  });

  it('skips a line cut short by a crash and starts the next append on a new line', async () => {
    const path = join(dataDir, 'alerts.jsonl');
    const whole = `${JSON.stringify(transition(0))}\nnot json at all\n{"alert":"HighTraffic","state":"firing"}\n`;
    await writeFile(path, `${whole}${JSON.stringify(transition(1)).slice(0, 40)}`);
    const history = new AlertHistory({ dataDir });
    await history.start();
    expect(history.recent()).toEqual([transition(0)]);
    expect(history.stats.skippedLines).toBe(3);
    history.record(transition(2));
    await history.shutdown();

    const reopened = new AlertHistory({ dataDir });
    await reopened.start();
    expect(reopened.recent()).toEqual([transition(0), transition(2)]);
    await reopened.shutdown();
  });

  it('passes every transition of the evaluator to its subscribers until they unsubscribe', async () => {
    const errors: AlertHistoryError[] = [];
    const history = new AlertHistory({ dataDir, onError: (e) => errors.push(e) });
    await history.start();
    const seen: string[] = [];
    const stop = history.subscribe((t) => seen.push(`a:${t.state}`));
    history.subscribe(() => {
      throw new Error('disk full');
    });
    history.subscribe((t) => seen.push(`c:${t.state}`));
    const alert = new TrafficAlert({ windowSeconds: 10, onTransition: history.record });
    alert.consume(steady(T0, 10, 20));
    alert.finish();
    stop();
    alert.consume(steady(T0 + 60, 1, 1));
    alert.finish();
    await history.flush();

    expect(seen).toEqual(['a:firing', 'c:firing', 'c:resolved']);
    expect(errors.map((e) => e.message)).toEqual(['alert history: a transition listener failed', 'alert history: a transition listener failed']);
    expect((errors[0]?.cause as Error).message).toBe('disk full');
    expect(history.recent().map((t) => t.state)).toEqual(['firing', 'resolved']);
    await history.shutdown();
  });

  it('reports an append after shutdown instead of throwing', async () => {
    const errors: AlertHistoryError[] = [];
    const history = new AlertHistory({ dataDir, onError: (e) => errors.push(e) });
    await history.start();
    await history.shutdown();
    history.record(transition(0));
    await history.flush();
    expect(history.stats.failedWrites).toBe(1);
    expect(errors[0]?.message).toBe(`alert history: append to ${join(dataDir, 'alerts.jsonl')}`);
  });

  it('fails to start with the path when the folder cannot be created', async () => {
    await writeFile(join(dataDir, 'file'), '');
    const history = new AlertHistory({ dataDir: join(dataDir, 'file', 'sub') });
    await expect(history.start()).rejects.toThrow(`alert history: open ${join(dataDir, 'file', 'sub', 'alerts.jsonl')}`);
  });
});
