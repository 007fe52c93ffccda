import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_REPO_DIR, PROMTOOL_BIN, requireBinary } from '../engines/prometheus.js';
import { runTool } from './run_tool.js';

const promtool = (): string => requireBinary(PROMTOOL_BIN, 'prometheus');
const testsDir = join(PROMETHEUS_REPO_DIR, 'tests');

describe('Prometheus configuration and rules', () => {
  it('passes promtool check config, rule files included', async () => {
    const result = await runTool(promtool(), ['check', 'config', 'prometheus.yml'], PROMETHEUS_REPO_DIR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 2 rule files found');
    expect(result.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
  });

  it('passes promtool check rules with every rule counted', async () => {
    const result = await runTool(promtool(), ['check', 'rules', 'rules/logpulse.yml', 'rules/logpulse_parameters.yml'], PROMETHEUS_REPO_DIR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 5 rules found');
    expect(result.output).toContain('SUCCESS: 1 rules found');
  });

  it('passes every promtool unit test file, one SUCCESS per file', async () => {
    const files = (await readdir(testsDir)).filter((f) => f.endsWith('_test.yml')).sort();
    expect(files).toEqual([
      'high_traffic_test.yml',
      'receiver_down_test.yml',
      'sink_failing_test.yml',
      'source_silent_short_window_test.yml',
      'source_silent_test.yml',
    ]);
    const result = await runTool(promtool(), ['test', 'rules', ...files], testsDir);
    expect(result.code, result.output).toBe(0);
    for (const file of files) expect(result.output).toContain(`Unit Testing:  ${file}\n  SUCCESS`);
    expect(result.output).not.toContain('FAILED');
  });

  describe('when an expectation is wrong', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'logpulse-promtool-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('fails the unit test, so the passing run above means something', async () => {
      const original = await readFile(join(testsDir, 'high_traffic_test.yml'), 'utf8');
      expect(original).toContain("hits: '15.00'");
      const broken = original
        .replaceAll('../rules/', `${join(PROMETHEUS_REPO_DIR, 'rules')}/`)
        .replace("hits: '15.00'", "hits: '14.00'");
      await writeFile(join(dir, 'broken_test.yml'), broken);
      const result = await runTool(promtool(), ['test', 'rules', 'broken_test.yml'], dir);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('FAILED');
      expect(result.output).toContain('hits="15.00"');
    });
  });
});
