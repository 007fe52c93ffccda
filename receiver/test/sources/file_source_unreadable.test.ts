import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/sources/file/file_source.js';
import { noopTelemetry, type ReceiverTelemetry } from '../../src/model/telemetry.js';
import { Collector, MemoryLogger, nginxLines, sleep, tempDir } from './helpers.js';

/**
 * A followed path that cannot be read is reported once (not on every poll), counted, and read as
 * soon as it can be. Tests run as root, whom no file mode stops: a symlink loop is a path that
 * fails for root too (ELOOP), and replacing it with a file makes it readable.
 */

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('FileSource following an unreadable path', () => {
  it('reports it once, and reads the file once it becomes readable', async () => {
    const path = join(dir, 'access.log');
    symlinkSync(path, path);
    const reports: Array<[string, string]> = [];
    const telemetry: ReceiverTelemetry = { ...noopTelemetry, pathUnreadable: (p, reason) => reports.push([p, reason]) };
    const collector = new Collector();
    const logger = new MemoryLogger();
    const source = new FileSource({ paths: [path], dataDir: join(dir, 'data'), source: 'web-1', pollIntervalMs: 20, maxPollIntervalMs: 20, logger }, collector.handle, telemetry);
    await source.start();
    await sleep(300);
    expect(reports).toEqual([[path, 'too many levels of symbolic links (ELOOP)']]);
    expect(logger.warnings).toEqual([]);
    rmSync(path);
    writeFileSync(path, nginxLines(0, 3));
    await collector.waitForLines(3);
    await source.shutdown();
    expect(reports).toHaveLength(1);
  });
});
