import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/sources/file/file_source.js';
import type { LineBatch } from '../../src/model/line_batch.js';
import { Collector, expectEachOnce, MemoryLogger, nginxLines, sleep, tempDir, testSource, waitFor } from './helpers.js';

function lines(from: number, to: number): string[] {
  return nginxLines(from, to).trimEnd().split('\n');
}

describe('FileSource following rotation', () => {
  let dir: string;
  let cleanup: () => void;
  let logs: string;
  let dataDir: string;
  let source: FileSource | undefined;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    logs = join(dir, 'logs');
    dataDir = join(dir, 'data');
    mkdirSync(logs);
  });
  afterEach(async () => {
    await source?.shutdown();
    source = undefined;
    cleanup();
  });

  /** `access.log` with lines 0-19, followed until they are read: where each rotation case starts. */
  async function followTwentyLines(pollIntervalMs?: number): Promise<{ path: string; collector: Collector }> {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 20));
    const collector = new Collector();
    source = testSource({ paths: [logs], dataDir, ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }) }, collector);
    await source.start();
    await collector.waitForLines(20);
    return { path, collector };
  }

  it('waits for the newline of a half-written last line', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, `${nginxLines(0, 1)}10.0.0.9 - - [18/Sep/2024:03:17:00 +0000] "GET /pa`);
    const collector = new Collector();
    source = testSource({ paths: [logs], dataDir }, collector);
    await source.start();
    await collector.waitForLines(1);
    await sleep(200);
    expect(collector.lines()).toHaveLength(1);
    appendFileSync(path, 'ges/x HTTP/1.1" 200 5\n');
    await collector.waitForLines(2);
    expect(collector.lines()[1]).toMatchObject({ offset: nginxLines(0, 1).length, text: '10.0.0.9 - - [18/Sep/2024:03:17:00 +0000] "GET /pages/x HTTP/1.1" 200 5' });
  });

  it('reads the rest of a renamed file and the new file from 0 after rename + create, with late acks', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 40));
    const collector = new Collector();
    collector.autoAck = false;
    source = testSource({ paths: [logs], dataDir, maxBatchLines: 16 }, collector);
    await source.start();
    await collector.waitForLines(40);
    appendFileSync(path, nginxLines(40, 60));
    renameSync(path, join(logs, 'access.log.1'));
    writeFileSync(path, nginxLines(100, 130));
    // The writer keeps appending to the renamed file until it reopens; a poll sees the new name first.
    await sleep(150);
    appendFileSync(join(logs, 'access.log.1'), nginxLines(60, 65));
    await collector.waitForLines(95);
    collector.ackAll();
    appendFileSync(path, nginxLines(130, 140));
    await collector.waitForLines(105);
    await sleep(200);
    expectEachOnce(collector.texts(), [...lines(0, 65), ...lines(100, 140)]);
    const fileIds = new Set(collector.lines().map((l) => l.fileId));
    expect(fileIds.size).toBe(2);
    const renamed = collector.lines().filter((l) => l.text === lines(64, 65)[0]);
    expect(renamed[0]?.file).toBe(join(logs, 'access.log.1'));
  });

  it("drains SFTPGo's dated rename even though only sftpgo.log is watched", async () => {
    const path = join(logs, 'sftpgo.log');
    const json = (n: number) =>
      `{"level":"info","time":"2024-09-18T03:17:${String(n % 60).padStart(2, '0')}.118","sender":"Upload","remote_address":"203.0.113.9:51022","username":"alice","size_bytes":${1024 * n},"file_path":"/srv/sftpgo/data/alice/f${n}.csv","elapsed_ms":12,"protocol":"SFTP","connection_id":"SFTP_cr8vq2d1l0bs73aa9f10_1"}\n`;
    const block = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => json(from + i)).join('');
    writeFileSync(path, block(0, 10));
    const collector = new Collector();
    source = testSource({ paths: [path], dataDir, rotateWaitMs: 400 }, collector);
    await source.start();
    await collector.waitForLines(10);
    appendFileSync(path, block(10, 20));
    const dated = join(logs, 'sftpgo-2024-09-18T03-17-12.log');
    renameSync(path, dated);
    await sleep(150);
    appendFileSync(dated, block(20, 25).trimEnd());
    writeFileSync(path, block(100, 105));
    // The unterminated last line comes once the renamed file stopped growing for rotateWaitMs.
    await collector.waitForLines(30);
    await sleep(300);
    expectEachOnce(collector.texts(), block(0, 25).trimEnd().split('\n').concat(block(100, 105).trimEnd().split('\n')));
    expect(collector.lines().find((l) => l.text === json(24).trimEnd())?.file).toBe(dated);
  });

  it('starts again at 0 after a copytruncate, without losing the lines copied away', async () => {
    const { path, collector } = await followTwentyLines();
    appendFileSync(path, nginxLines(20, 25));
    await collector.waitForLines(25);
    // logrotate copytruncate: copy to access.log.1, then empty access.log in place.
    writeFileSync(join(logs, 'access.log.1'), readFileSync(path));
    truncateSync(path, 0);
    appendFileSync(path, nginxLines(200, 203));
    await collector.waitForLines(28);
    await sleep(300);
    expectEachOnce(collector.texts(), [...lines(0, 25), ...lines(200, 203)]);
    const newContent = collector.lines().filter((l) => l.text === lines(200, 201)[0]);
    expect(newContent[0]?.offset).toBe(0);
    expect(newContent[0]?.fileId).not.toBe(collector.lines()[0]?.fileId);
  });

  it('continues a copytruncated file in its copy when the copy holds lines not read yet', async () => {
    const { path, collector } = await followTwentyLines(200);
    // Written, copied and truncated between two polls: lines 20-29 exist only in the copy.
    appendFileSync(path, nginxLines(20, 30));
    writeFileSync(join(logs, 'access.log.1'), readFileSync(path));
    truncateSync(path, 0);
    appendFileSync(path, nginxLines(300, 302));
    await collector.waitForLines(32);
    await sleep(500);
    expectEachOnce(collector.texts(), [...lines(0, 30), ...lines(300, 302)]);
    const continued = collector.lines().find((l) => l.text === lines(25, 26)[0]);
    expect(continued?.fileId).toBe(collector.lines()[0]?.fileId);
    expect(continued?.file).toBe(join(logs, 'access.log.1'));
  });

  it('does not read a copy twice when copytruncate is seen between the copy and the truncate', async () => {
    const { path, collector } = await followTwentyLines();
    writeFileSync(join(logs, 'access.log.1'), readFileSync(path));
    await sleep(200);
    truncateSync(path, 0);
    appendFileSync(path, nginxLines(400, 403));
    await collector.waitForLines(23);
    await sleep(300);
    expectEachOnce(collector.texts(), [...lines(0, 20), ...lines(400, 403)]);
  });

  it('does not read a copy again when lines written after the copy were read before the truncate', async () => {
    const { path, collector } = await followTwentyLines();
    // The copy is made; the server writes on and those lines are read before the truncate: the
    // original's checkpoint is then past the end of the copy, which holds nothing new.
    writeFileSync(join(logs, 'access.log.1'), readFileSync(path));
    appendFileSync(path, nginxLines(20, 24));
    await collector.waitForLines(24);
    truncateSync(path, 0);
    appendFileSync(path, nginxLines(500, 503));
    await collector.waitForLines(27);
    await sleep(300);
    expectEachOnce(collector.texts(), [...lines(0, 24), ...lines(500, 503)]);
  });

  it('reads only the unread rest of a rotated file that was gzip-compressed after a stop', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 50));
    const first = new Collector();
    source = testSource({ paths: [logs], dataDir }, first);
    await source.start();
    await first.waitForLines(50);
    await source.shutdown();
    // While stopped: more lines, then logrotate with compress (no delaycompress).
    appendFileSync(path, nginxLines(50, 80));
    writeFileSync(join(logs, 'access.log.1.gz'), gzipSync(readFileSync(path)));
    rmSync(path);
    writeFileSync(path, nginxLines(1000, 1010));
    const second = new Collector();
    source = testSource({ paths: [logs], dataDir }, second);
    await source.start();
    await second.waitForLines(40);
    await sleep(300);
    expectEachOnce(second.texts(), [...lines(50, 80), ...lines(1000, 1010)]);
    const resumed = second.lines().find((l) => l.text === lines(50, 51)[0]);
    expect(resumed).toMatchObject({ fileId: first.lines()[0]?.fileId, offset: nginxLines(0, 50).length });
    await source.shutdown();
    const third = new Collector();
    source = testSource({ paths: [logs], dataDir }, third);
    await source.start();
    await sleep(400);
    expect(third.lines()).toEqual([]);
  });

  for (const once of [false, true]) {
    it(`reads each .gz once when logrotate shifts their names between their queueing and their reading${once ? ' (batch import)' : ''}`, async () => {
      // Two compressed generations queued at start-up, oldest first; while the oldest is being
      // handed on, logrotate shifts the names and writes a new .1.gz. Opened by its old name, the
      // second one would be the newest: read under the second one's id, and the second one lost.
      writeFileSync(join(logs, 'access.log.2.gz'), gzipSync(nginxLines(0, 20)));
      writeFileSync(join(logs, 'access.log.1.gz'), gzipSync(nginxLines(100, 120)));
      const collector = new Collector();
      let shifted = false;
      const handle = async (batch: LineBatch): Promise<void> => {
        if (!shifted) {
          shifted = true;
          renameSync(join(logs, 'access.log.2.gz'), join(logs, 'access.log.3.gz'));
          renameSync(join(logs, 'access.log.1.gz'), join(logs, 'access.log.2.gz'));
          writeFileSync(join(logs, 'access.log.1.gz'), gzipSync(nginxLines(200, 220)));
        }
        await collector.handle(batch);
      };
      source = new FileSource({ paths: [logs], dataDir, source: 'web-1', once, pollIntervalMs: 40, commitIntervalMs: 50, logger: new MemoryLogger() }, handle);
      await source.start();
      if (once) await source.done();
      else await collector.waitForLines(60).catch(() => {});
      await sleep(300);
      expectEachOnce(collector.texts(), [...lines(0, 20), ...lines(100, 120), ...lines(200, 220)]);
      const idOf = (n: number): string | undefined => collector.lines().find((l) => l.text === lines(n, n + 1)[0])?.fileId;
      expect(new Set([idOf(0), idOf(100), idOf(200)]).size).toBe(3);
    });
  }

  it('does not read again a rotated file when it is compressed while running', async () => {
    const path = join(logs, 'access.log');
    writeFileSync(path, nginxLines(0, 30));
    const collector = new Collector();
    source = testSource({ paths: [logs], dataDir }, collector);
    await source.start();
    await collector.waitForLines(30);
    renameSync(path, join(logs, 'access.log.1'));
    writeFileSync(path, nginxLines(500, 505));
    await collector.waitForLines(35);
    await sleep(200);
    writeFileSync(join(logs, 'access.log.2.gz'), gzipSync(readFileSync(join(logs, 'access.log.1'))));
    rmSync(join(logs, 'access.log.1'));
    appendFileSync(path, nginxLines(505, 507));
    await collector.waitForLines(37);
    await sleep(400);
    expectEachOnce(collector.texts(), [...lines(0, 30), ...lines(500, 507)]);
    await waitFor(
      () => JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')).files.some((f: { compressed: boolean; finished: boolean }) => f.compressed && f.finished),
      3000,
      () => 'the .gz was not recorded as read',
    );
  });

  it('picks up files in a sub-folder created while running', async () => {
    writeFileSync(join(logs, 'access.log'), nginxLines(0, 3));
    const collector = new Collector();
    source = testSource({ paths: [logs], dataDir }, collector);
    await source.start();
    await collector.waitForLines(3);
    mkdirSync(join(logs, 'vhosts', 'shop'), { recursive: true });
    writeFileSync(join(logs, 'vhosts', 'shop', 'access.log'), nginxLines(10, 15));
    await collector.waitForLines(8);
    appendFileSync(join(logs, 'vhosts', 'shop', 'access.log'), nginxLines(15, 17));
    await collector.waitForLines(10);
    await sleep(200);
    expectEachOnce(collector.texts(), [...lines(0, 3), ...lines(10, 17)]);
  });

  it('waits for a named file that does not exist yet, and reads it when it appears', async () => {
    const path = join(logs, 'later.log');
    const collector = new Collector();
    const logger = new MemoryLogger();
    source = testSource({ paths: [path], dataDir, logger }, collector);
    await source.start();
    await sleep(150);
    writeFileSync(path, nginxLines(0, 2));
    await collector.waitForLines(2);
    expect(collector.lines()[0]).toMatchObject({ file: path, offset: 0 });
    expect(logger.warnings).toEqual([]);
  });

  it('picks up a new file matching a glob while running', async () => {
    const collector = new Collector();
    source = testSource({ paths: [join(logs, '*.log')], dataDir }, collector);
    await source.start();
    writeFileSync(join(logs, 'access.log'), nginxLines(0, 3));
    writeFileSync(join(logs, 'access.txt'), nginxLines(3, 6));
    await collector.waitForLines(3);
    await sleep(300);
    expectEachOnce(collector.texts(), lines(0, 3));
  });
});
