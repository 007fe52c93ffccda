import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoOptionsError, DemoWriteError, runDemo, writeDemoFile } from '../../src/demo/index.js';
import { clfTime, matchCombined } from './log_shapes.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpulse-demo-writer-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('writeDemoFile', () => {
  it('writes exactly the number of lines asked for, replacing the file, with timestamps advancing at the given rate', async () => {
    const output = join(dir, 'bench', 'nested', 'access.log');
    await writeDemoFile({ output, lines: 50, seed: 3 });
    const start = Date.UTC(2026, 0, 31, 23, 59, 58);
    const summary = await writeDemoFile({ output, lines: 20_003, seed: 3, startTime: start, linesPerSecond: 10_000 });
    const text = await readFile(output, 'utf8');
    const lines = await readLines(output);
    expect(summary).toEqual({ lines: 20_003, bytes: Buffer.byteLength(text) });
    expect(lines).toHaveLength(20_003);
    expect(matchCombined(lines[0]!)?.time).toBe(clfTime(start));
    expect(matchCombined(lines[9_999]!)?.time).toBe(clfTime(start));
    expect(matchCombined(lines[10_000]!)?.time).toBe('31/Jan/2026:23:59:59 +0000');
    expect(matchCombined(lines[20_000]!)?.time).toBe('01/Feb/2026:00:00:00 +0000');
  });

  it('writes an SFTPGo file of exactly N JSON lines', async () => {
    const output = join(dir, 'sftpgo.log');
    const summary = await writeDemoFile({ output, lines: 1_234, format: 'sftpgo', seed: 8 });
    const lines = await readLines(output);
    expect(summary.lines).toBe(1_234);
    expect(lines).toHaveLength(1_234);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('writes an empty file for zero lines and rejects a bad line count by name', async () => {
    const output = join(dir, 'empty.log');
    expect(await writeDemoFile({ output, lines: 0 })).toEqual({ lines: 0, bytes: 0 });
    expect(await readFile(output, 'utf8')).toBe('');
    await expect(writeDemoFile({ output, lines: -1 })).rejects.toThrow(
      new DemoOptionsError('lines: expected a whole number, 0 or more, got -1'),
    );
  });
});

describe('runDemo', () => {
  it('appends about the scheduled number of lines over two seconds, stamped now, and stops on abort', async () => {
    const output = join(dir, 'live', 'access.log');
    await runDemo({ output, durationSeconds: 0.1, rate: 0 }).done; // creates the folder
    await writeFile(output, 'an earlier line\n');
    const controller = new AbortController();
    const before = Date.now();
    const demo = runDemo({ output, rate: 20, burstSeconds: 0, seed: 4, signal: controller.signal });
    await sleep(2_000);
    const elapsedSeconds = (Date.now() - before) / 1000;
    controller.abort();
    const summary = await demo.done;
    const after = Date.now();

    const lines = await readLines(output);
    expect(lines[0]).toBe('an earlier line');
    const written = lines.slice(1);
    // 20 lines/s in 4 writes of 5 a second: about 40 lines in 2 s, give or take the write in flight.
    expect(Math.abs(written.length - 20 * elapsedSeconds)).toBeLessThanOrEqual(10);
    expect(summary.lines).toBe(written.length);
    expect(demo.linesWritten()).toBe(written.length);
    const allowed = new Set<string>();
    for (let t = Math.floor(before / 1000) * 1000; t <= after; t += 1000) allowed.add(clfTime(t));
    for (const line of written) expect(allowed).toContain(matchCombined(line)?.time);

    await sleep(600);
    expect(await readLines(output)).toHaveLength(lines.length);
  });

  it('spreads each second over several writes and ends by itself after its duration', async () => {
    const output = join(dir, 'timed', 'sftpgo.log');
    const before = Date.now();
    const summary = await runDemo({ output, format: 'sftpgo', rate: 8, burstSeconds: 0, writesPerSecond: 2, durationSeconds: 1 }).done;
    expect(summary.lines).toBe(8);
    const times = (await readLines(output)).map((line) => Date.parse(`${(JSON.parse(line) as { time: string }).time}Z`));
    expect(times).toHaveLength(8);
    // Two writes of four lines, the second half a second after the start.
    expect(new Set(times.slice(0, 4)).size).toBe(1);
    expect(new Set(times.slice(4)).size).toBe(1);
    expect(times[0]).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(times[4]).toBeGreaterThanOrEqual(before + 500 - 1);
  });

  it('stops when stop() is called, and stop() can be called again', async () => {
    const output = join(dir, 'stopped.log');
    const demo = runDemo({ output, rate: 100, burstSeconds: 0 });
    await sleep(300);
    const first = await demo.stop();
    const second = await demo.stop();
    expect(second).toEqual(first);
    expect(await readLines(output)).toHaveLength(first.lines);
  });

  it('rejects options it cannot run with, naming the option, before writing anything', () => {
    const output = join(dir, 'never.log');
    expect(() => runDemo({ output, rate: -1 })).toThrow(
      new DemoOptionsError('rate: expected a non-negative number of lines per second, got -1'),
    );
    expect(() => runDemo({ output, burstSeconds: 2.5 })).toThrow(/^demo: burst_seconds: expected a whole number of seconds/);
    expect(() => runDemo({ output, format: 'w3c' as 'combined' })).toThrow('demo: format: expected one of combined, sftpgo, got "w3c"');
  });

  it('fails with a DemoWriteError saying what it was doing when the folder cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder\n');
    const demo = runDemo({ output: join(blocker, 'demo.log'), durationSeconds: 1 });
    const error: unknown = await demo.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoWriteError);
    expect((error as Error).message).toMatch(new RegExp(`^demo: open ${blocker}/demo.log: (ENOTDIR|EEXIST)`));
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
