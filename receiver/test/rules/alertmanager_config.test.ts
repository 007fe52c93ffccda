import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTMANAGER_REPO_DIR, AMTOOL_BIN } from '../engines/alertmanager.js';
import { requireBinary } from '../engines/prometheus.js';
import { runTool } from './run_tool.js';

const amtool = (): string => requireBinary(AMTOOL_BIN, 'prometheus-alertmanager');

interface AlertmanagerConfig {
  route: { receiver: string; group_by: string[]; group_wait: string; group_interval: string; repeat_interval: string };
  receivers: Array<{
    name: string;
    webhook_configs?: Array<{ url: string; send_resolved: boolean }>;
    email_configs?: Array<{ send_resolved: boolean; text: string; html: string }>;
  }>;
}

describe('Alertmanager configuration', () => {
  it('passes amtool check-config with its template loaded', async () => {
    const result = await runTool(amtool(), ['check-config', 'alertmanager.yml'], ALERTMANAGER_REPO_DIR);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain(' - 1 templates');
    expect(result.output).toContain(' - 1 receivers');
  });

  it('groups by alert and source with on-call timings and sends recoveries everywhere', async () => {
    const config = parse(await readFile(join(ALERTMANAGER_REPO_DIR, 'alertmanager.yml'), 'utf8')) as AlertmanagerConfig;
    expect(config.route).toMatchObject({
      group_by: ['alertname', 'source'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    });
    const receiver = config.receivers.find((r) => r.name === config.route.receiver);
    expect(receiver?.webhook_configs?.length).toBeGreaterThan(0);
    expect(receiver?.email_configs?.length).toBeGreaterThan(0);
    for (const c of [...(receiver?.webhook_configs ?? []), ...(receiver?.email_configs ?? [])]) {
      expect(c.send_resolved).toBe(true);
    }
  });

  describe('when the configuration is wrong', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'logpulse-amtool-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('fails amtool check-config, so the passing check above means something', async () => {
      await writeFile(join(dir, 'alertmanager.yml'), 'route:\n  receiver: nobody\nreceivers:\n  - name: oncall\n');
      const result = await runTool(amtool(), ['check-config', 'alertmanager.yml'], dir);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('FAILED');
    });
  });
});
