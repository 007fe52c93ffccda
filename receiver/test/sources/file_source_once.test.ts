import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/checkpoint/checkpoint_error.js';
import { FileSource } from '../../src/sources/file/file_source.js';
import { Collector, FIXTURES, MemoryLogger, nginxLines, tempDir, testSource } from './helpers.js';

describe('FileSource in once mode', () => {
  let dir: string;
  let cleanup: () => void;
  let logs: string;
  let dataDir: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    logs = join(dir, 'logs');
    dataDir = join(dir, 'data');
    mkdirSync(logs);
  });
  afterEach(() => cleanup());

  it('reads every line of a directory and its sub-folders, emits the unterminated last line, and checkpoints the end', async () => {
    copyFileSync(join(FIXTURES, 'access.log'), join(logs, 'access.log'));
    copyFileSync(join(FIXTURES, 'iis_crlf_unterminated.log'), join(logs, 'u_ex240918.log'));
    mkdirSync(join(logs, 'sftpgo'));
    copyFileSync(join(FIXTURES, 'sftpgo.log'), join(logs, 'sftpgo', 'sftpgo.log'));
    const collector = new Collector();
    const source = testSource({ paths: [logs], dataDir, once: true, format: 'combined' }, collector);
    await source.start();
    await source.done();
    const crlf = collector.lines().filter((l) => l.file.endsWith('u_ex240918.log'));
    expect(crlf.map((l) => l.text)).toEqual(readFileSync(join(FIXTURES, 'iis_crlf_unterminated.log'), 'utf8').split('\r\n'));
    expect(collector.lines().filter((l) => l.file.endsWith('access.log'))).toHaveLength(6);
    expect(collector.batches.every((b) => b.source === 'web-1' && b.format === 'combined')).toBe(true);
    const checkpoint = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8'));
    const offsets = Object.fromEntries(checkpoint.files.map((f: { path: string; offset: number }) => [f.path, f.offset]));
    expect(offsets).toEqual({ [join(logs, 'access.log')]: 942, [join(logs, 'u_ex240918.log')]: 286, [join(logs, 'sftpgo', 'sftpgo.log')]: 769 });
    expect(source.progress()).toEqual({ bytesRead: 942 + 286 + 769, bytesTotal: 942 + 286 + 769, files: 3 });
    expect(collector.lines().filter((l) => l.file.endsWith('sftpgo.log')).map((l) => JSON.parse(l.text).sender)).toEqual(['Login', 'Upload', 'Download']);
    await source.shutdown();
  });

  it('reads a file named inside the data directory but skips the receiver\'s own files there', async () => {
    mkdirSync(join(dataDir, 'demo'), { recursive: true });
    copyFileSync(join(FIXTURES, 'access.log'), join(dataDir, 'demo', 'access.log'));
    writeFileSync(join(dataDir, 'logpulse.log'), '{"level":30,"msg":"receiver log line"}\n');
    const collector = new Collector();
    const source = testSource({ paths: [join(dataDir, 'demo', 'access.log'), dataDir], dataDir, once: true }, collector);
    await source.start();
    await source.done();
    expect(new Set(collector.lines().map((l) => l.file))).toEqual(new Set([join(dataDir, 'demo', 'access.log')]));
    expect(collector.lines()).toHaveLength(6);
    await source.shutdown();
  });

  it('says when every line present has been handed on, before the acknowledgements arrive', async () => {
    copyFileSync(join(FIXTURES, 'access.log'), join(logs, 'access.log'));
    const collector = new Collector();
    let linesWhenAllRead = -1;
    const source = testSource({ paths: [logs], dataDir, once: true, onAllRead: () => (linesWhenAllRead = collector.lines().length) }, collector);
    await source.start();
    await source.done();
    expect(linesWhenAllRead).toBe(6);
    await source.shutdown();
  });

  it('keeps two byte-identical lines as two lines with different offsets', async () => {
    copyFileSync(join(FIXTURES, 'access.log'), join(logs, 'access.log'));
    const collector = new Collector();
    const source = testSource({ paths: [join(logs, 'access.log')], dataDir, once: true }, collector);
    await source.start();
    await source.done();
    const [second, third] = collector.lines().slice(1, 3);
    expect(second?.text).toBe(third?.text);
    expect(second?.offset).not.toBe(third?.offset);
    expect(second?.fileId).toBe(third?.fileId);
  });

  it('cuts an over-long line, marks it truncated and reads the next line whole', async () => {
    const long = `10.0.0.1 - - [18/Sep/2024:03:17:00 +0000] "GET /${'a'.repeat(5000)} HTTP/1.1" 414 0`;
    writeFileSync(join(logs, 'access.log'), `${long}\n${nginxLines(0, 1)}`);
    const collector = new Collector();
    const source = testSource({ paths: [logs], dataDir, once: true, maxLineBytes: 1024 }, collector);
    await source.start();
    await source.done();
    expect(collector.lines().map((l) => [l.offset, l.text.length, l.truncated])).toEqual([
      [0, 1024, true],
      [long.length + 1, nginxLines(0, 1).length - 1, false],
    ]);
  });

  it('hands lines on in batches of at most maxBatchLines and does not read a second time what was read', async () => {
    writeFileSync(join(logs, 'access.log'), nginxLines(0, 250));
    const first = new Collector();
    const source = testSource({ paths: [logs], dataDir, once: true, maxBatchLines: 100 }, first);
    await source.start();
    await source.done();
    expect(first.batches.map((b) => b.lines.length)).toEqual([100, 100, 50]);
    const again = new Collector();
    const second = testSource({ paths: [logs], dataDir, once: true }, again);
    await second.start();
    await second.done();
    expect(again.lines()).toEqual([]);
  });

  it('reads only the files a glob matches', async () => {
    mkdirSync(join(logs, 'nginx'));
    writeFileSync(join(logs, 'nginx', 'access.log'), nginxLines(0, 2));
    writeFileSync(join(logs, 'nginx', 'error.txt'), 'not a log we want\n');
    writeFileSync(join(logs, 'access.log'), nginxLines(2, 4));
    const collector = new Collector();
    const source = testSource({ paths: [join(logs, '*', '*.log')], dataDir, once: true }, collector);
    await source.start();
    await source.done();
    expect(collector.texts()).toEqual(nginxLines(0, 2).trimEnd().split('\n'));
  });

  it('reads a gzip file it does not know in full, once', async () => {
    writeFileSync(join(logs, 'access.log.2.gz'), gzipSync(nginxLines(0, 30)));
    const collector = new Collector();
    const source = testSource({ paths: [logs], dataDir, once: true }, collector);
    await source.start();
    await source.done();
    expect(collector.texts()).toEqual(nginxLines(0, 30).trimEnd().split('\n'));
    const again = new Collector();
    const second = testSource({ paths: [logs], dataDir, once: true }, again);
    await second.start();
    await second.done();
    expect(again.lines()).toEqual([]);
  });

  it('reports a corrupt gzip file once and reads the other files', async () => {
    const gz = gzipSync(nginxLines(0, 200));
    writeFileSync(join(logs, 'access.log.3.gz'), gz.subarray(0, gz.length - 40));
    writeFileSync(join(logs, 'access.log'), nginxLines(500, 510));
    const logger = new MemoryLogger();
    const collector = new Collector();
    const source = testSource({ paths: [logs], dataDir, once: true, logger }, collector);
    await source.start();
    await source.done();
    expect(collector.lines().filter((l) => l.file.endsWith('access.log'))).toHaveLength(10);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toMatch(/^source: read gzip .*access\.log\.3\.gz: /);
  });

  it('fails to start with an error naming the checkpoint file when it is corrupt', async () => {
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'checkpoints.json'), 'version: 1\n');
    const source = new FileSource({ paths: [logs], dataDir, once: true }, async () => {});
    const error = await source.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toContain(join(dataDir, 'checkpoints.json'));
  });

  it('fails to start in once mode when a named file does not exist', async () => {
    const source = testSource({ paths: [join(logs, 'missing.log')], dataDir, once: true }, new Collector());
    await expect(source.start()).rejects.toThrow(`cannot read ${join(logs, 'missing.log')}: no such file or directory (ENOENT)`);
  });

  it('rejects options that make no sense, naming them', () => {
    expect(() => new FileSource({ paths: [logs], dataDir, maxLineBytes: 0 }, async () => {})).toThrow(
      'source: maxLineBytes: expected a positive integer, got 0',
    );
    expect(() => new FileSource({ paths: [], dataDir }, async () => {})).toThrow('source: paths: expected at least one');
  });
});
