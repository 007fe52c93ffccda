import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogGenerator, writeDemoFile } from '../../src/demo/index.js';
import { clfTime, matchCombined, sectionOf, type CombinedFields } from './log_shapes.js';

const START = Date.UTC(2026, 10, 22, 10, 0, 0);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpulse-demo-access-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function generate(seed: number, count: number): string[] {
  const generator = new AccessLogGenerator({ seed });
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(generator.line(START + i * 100));
  return lines;
}

describe('access log generator', () => {
  it('gives the same bytes for the same seed and different bytes for another seed', async () => {
    const options = { lines: 5_000, format: 'combined' as const, startTime: START, linesPerSecond: 50 };
    await writeDemoFile({ ...options, output: join(dir, 'a.log'), seed: 42 });
    await writeDemoFile({ ...options, output: join(dir, 'b.log'), seed: 42 });
    await writeDemoFile({ ...options, output: join(dir, 'c.log'), seed: 43 });
    const [a, b, c] = await Promise.all(['a.log', 'b.log', 'c.log'].map((name) => readFile(join(dir, name))));
    expect(a?.length).toBeGreaterThan(500_000);
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
  });

  it('keeps its output for seed 1 from one version to the next, so benchmark files stay comparable', () => {
    const generator = new AccessLogGenerator({ seed: 1 });
    expect([generator.line(START), generator.line(START + 1)]).toEqual([
      '192.0.2.134 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 9770 "https://example.com/search?q=pricing" ' +
        '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"',
      '198.51.100.26 - - [22/Nov/2026:10:00:00 +0000] "GET /robots.txt HTTP/1.1" 200 120 "-" ' +
        '"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"',
    ]);
  });

  it('writes only lines of the exact nginx combined shape, stamped with the time asked for', () => {
    const lines = generate(7, 10_000);
    lines.forEach((line, i) => {
      const fields = matchCombined(line);
      if (fields === undefined) expect.fail(`line ${i} is not combined: ${line}`);
      expect(fields.time).toBe(clfTime(START + i * 100));
      if (fields.status === 304 || fields.status === 204 || fields.method === 'HEAD') expect(fields.bytes).toBe(0);
    });
  });

  it('mixes sections, methods, statuses, IPv6 clients, users, agents and referers like a real site', () => {
    const all = generate(3, 20_000).map((line) => matchCombined(line) as CombinedFields);
    const share = (test: (f: CombinedFields) => boolean): number => all.filter(test).length / all.length;
    const distinct = (key: keyof CombinedFields): Set<unknown> => new Set(all.map((f) => f[key]));

    const sections = new Set(all.map((f) => sectionOf(f.path)));
    for (const section of ['/', '/pages', '/api', '/static', '/images', '/login', '/admin', '/search']) {
      expect(sections).toContain(section);
    }
    expect(share((f) => f.path.includes('?'))).toBeGreaterThan(0.03);
    expect(share((f) => f.path.split('?')[0]!.split('/').length > 3)).toBeGreaterThan(0.2);

    expect(share((f) => f.method === 'GET')).toBeGreaterThan(0.7);
    expect(share((f) => f.method === 'POST')).toBeGreaterThan(0.03);

    expect(share((f) => f.status === 200)).toBeGreaterThan(0.55);
    for (const statusClass of [3, 4, 5]) {
      expect(share((f) => Math.floor(f.status / 100) === statusClass)).toBeGreaterThan(0.005);
    }
    expect(distinct('bytes').size).toBeGreaterThan(1_000);

    expect(share((f) => f.client.includes(':'))).toBeGreaterThan(0.01);
    expect(share((f) => f.client.includes(':'))).toBeLessThan(0.5);
    expect(share((f) => f.user === '-')).toBeGreaterThan(0.6);
    expect(distinct('user').size).toBeGreaterThan(3);
    expect(distinct('agent').size).toBeGreaterThanOrEqual(5);
    expect(share((f) => f.referer === '-')).toBeGreaterThan(0.1);
    expect(share((f) => f.referer.startsWith('https://example.com/'))).toBeGreaterThan(0.1);
  });
});
