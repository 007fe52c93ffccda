import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startQueryServer } from '../../src/query/index.js';
import { tempDir } from './sink_fixtures.js';

describe('the query endpoint when query.port cannot be written', () => {
  it('fails naming the file and leaves no server listening', async () => {
    const dataDir = tempDir('query-port-failure');
    // The temp file's name taken by a folder: the write fails as on a full disk (ENOSPC), but
    // without one. A server left listening kept a failed `run --once` from exiting.
    mkdirSync(join(dataDir, `query.port.${process.pid}.tmp`), { recursive: true });
    const listening = (): number => process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
    const before = listening();
    await expect(startQueryServer({ dataDir })).rejects.toThrow(`query endpoint: write ${join(dataDir, 'query.port')}: EISDIR`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listening(), process.getActiveResourcesInfo().join(',')).toBe(before);
  });
});
