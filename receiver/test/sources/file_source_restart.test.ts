import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileSource } from '../../src/sources/file/file_source.js';
import { Collector, expectEachOnce, nginxLines, sleep, tempDir, testSource, waitFor, type Received } from './helpers.js';

function lines(from: number, to: number): string[] {
  return nginxLines(from, to).trimEnd().split('\n');
}

function committed(dataDir: string): number[] {
  const json = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8'));
  return json.files.map((f: { offset: number }) => f.offset);
}

const where = (l: Received) => `${l.fileId}@${l.offset}`;

describe('FileSource across restarts', () => {
  let dir: string;
  let cleanup: () => void;
  let logs: string;
  let dataDir: string;
  const sources: FileSource[] = [];
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    logs = join(dir, 'logs');
    dataDir = join(dir, 'data');
    mkdirSync(logs);
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.shutdown();
    cleanup();
  });

  function start(collector: Collector, extra: Parameters<typeof testSource>[0] extends infer O ? Partial<O> : never = {}): Promise<FileSource> {
    const source = testSource({ paths: [logs], dataDir, maxBatchLines: 10, shutdownTimeoutMs: 300, ...extra }, collector);
    sources.push(source);
    return source.start().then(() => source);
  }

  it('resumes exactly at the acknowledged offset, reading again with the same ids what was not acknowledged', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 50));
    const first = new Collector();
    first.autoAck = false;
    const source = await start(first);
    await first.waitForLines(50);
    // Storage acknowledged the first two batches (20 lines) only.
    first.batches[0]?.ack();
    first.batches[1]?.ack();
    await source.shutdown();
    expect(committed(dataDir)).toEqual([nginxLines(0, 20).length]);
    const second = new Collector();
    await start(second);
    await second.waitForLines(30);
    await sleep(200);
    expect(second.lines().map(where)).toEqual(first.lines().slice(20).map(where));
    expect(second.texts()).toEqual(lines(20, 50));
  });

  it('keeps the file id when the file grew while stopped', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 5));
    const first = new Collector();
    const source = await start(first);
    await first.waitForLines(5);
    await source.shutdown();
    appendFileSync(path, nginxLines(5, 2000));
    const second = new Collector();
    await start(second, { maxBatchLines: 4096 });
    await second.waitForLines(1995);
    await sleep(150);
    expectEachOnce(second.texts(), lines(5, 2000));
    expect(new Set(second.lines().map((l) => l.fileId))).toEqual(new Set([first.lines()[0]?.fileId]));
    expect(second.lines()[0]?.offset).toBe(nginxLines(0, 5).length);
  });

  it('starts at the end of files present at start-up with startAt end, and at 0 in files that appear later', async () => {
    writeFileSync(join(logs, 'old.log'), `${nginxLines(0, 10)}10.0.0.1 - - [18/Sep/2024:03:17:00 +0000] "GET /hal`);
    const collector = new Collector();
    await start(collector, { startAt: 'end' });
    appendFileSync(join(logs, 'old.log'), 'f HTTP/1.1" 200 1\n');
    appendFileSync(join(logs, 'old.log'), nginxLines(10, 12));
    writeFileSync(join(logs, 'new.log'), nginxLines(20, 23));
    await collector.waitForLines(6);
    await sleep(200);
    expectEachOnce(collector.texts(), ['10.0.0.1 - - [18/Sep/2024:03:17:00 +0000] "GET /half HTTP/1.1" 200 1', ...lines(10, 12), ...lines(20, 23)]);
  });

  it('after a crash, delivers again the lines it had not checkpointed, with identical file ids and offsets and no gap', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 60));
    const first = new Collector();
    // The first run writes its acks rarely: it crashes after they were acknowledged and before
    // they reached the disk, so its lines come again.
    const crashed = await start(first, { commitIntervalMs: 60_000 });
    await first.waitForLines(60);
    // The process "dies": its pipeline hangs and nothing more is acknowledged or read.
    first.frozen = true;
    first.autoAck = false;
    appendFileSync(path, nginxLines(60, 90));
    await sleep(200);
    const checkpointAtCrash = committed(dataDir)[0] ?? -1;
    expect(checkpointAtCrash).toBe(0);
    expect(crashed.progress().bytesRead).toBeGreaterThanOrEqual(nginxLines(0, 60).length);
    const second = new Collector();
    await start(second);
    await waitFor(() => second.texts().includes(lines(89, 90)[0] as string), 4000, () => `${second.lines().length} lines`);
    await sleep(150);
    const firstById = new Map(first.lines().map((l) => [where(l), l.text]));
    const resumedAt = second.lines()[0]?.offset ?? -1;
    expect(resumedAt).toBe(checkpointAtCrash);
    expect(second.lines().filter((l) => firstById.has(where(l))).length).toBeGreaterThan(0);
    for (const l of second.lines()) if (firstById.has(where(l))) expect(firstById.get(where(l))).toBe(l.text);
    const all = new Map([...first.lines(), ...second.lines()].map((l) => [where(l), l.text]));
    expectEachOnce([...all.values()], lines(0, 90));
    expect(new Set(second.lines().map((l) => l.fileId))).toEqual(new Set([first.lines()[0]?.fileId]));
  });

  it('finds the same file id after a crash before any offset was committed', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 15));
    const first = new Collector();
    first.autoAck = false;
    await start(first);
    await first.waitForLines(15);
    first.frozen = true;
    expect(committed(dataDir)).toEqual([0]);
    const second = new Collector();
    await start(second);
    await second.waitForLines(15);
    expect(second.lines().map(where)).toEqual(first.lines().map(where));
  });
});
