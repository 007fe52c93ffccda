import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERTMANAGER_REPO_DIR, AMTOOL_BIN } from '../engines/alertmanager.js';
import { requireBinary } from '../engines/prometheus.js';
import { sourceResumedMessage, sourceSilentMessage } from '../../src/alerts/index.js';
import { runTool } from './run_tool.js';

const fixtures = new URL('../fixtures/rules/', import.meta.url).pathname;

/** Renders `{{ template "<name>" . }}` from the repository's templates with amtool and `data` (a fixture). */
async function render(name: string, data: string): Promise<string> {
  const amtool = requireBinary(AMTOOL_BIN, 'prometheus-alertmanager');
  const result = await runTool(amtool, [
    'template',
    'render',
    `--template.glob=${join(ALERTMANAGER_REPO_DIR, 'templates', '*.tmpl')}`,
    `--template.text={{ template "${name}" . }}`,
    `--template.data=${join(fixtures, data)}`,
  ]);
  expect(result.code, result.output).toBe(0);
  return result.stdout;
}

describe('Alertmanager notification templates', () => {
  it('render the recovery text with the carried value and the end time in ISO-8601 UTC', async () => {
    const text = await render('logpulse.text', 'high_traffic_resolved.json');
    expect(text.split('\n')[0]).toBe('Traffic recovered - hits = 12.41, recovered at 2024-03-01T10:14:35.250Z');
    // The "above the threshold" details belong to firing alerts only.
    expect(text).not.toContain('above the threshold');
    expect(await render('logpulse.subject', 'high_traffic_resolved.json')).toBe('[RESOLVED] logpulse HighTraffic');
  });

  it('render the alert text from the hits annotation and the start time, firing alerts first', async () => {
    const text = await render('logpulse.text', 'mixed_firing.json');
    const lines = text.split('\n');
    expect(lines[0]).toBe('No logs received from sftp1 for 5 minutes');
    expect(lines[1]).toBe('High traffic generated an alert - hits = 15.00, triggered at 2024-03-01T10:02:05.500Z');
    expect(text).toContain('The receiver at receiver:9464 last read an event of sftp1 6m 0s ago.');
    expect(text).toContain('Alertmanager: http://alertmanager:9093');
    expect(await render('logpulse.subject', 'mixed_firing.json')).toBe('[FIRING:2] logpulse SourceSilent sftp1');
  });

  it("render the receiver's silence texts: the source and the threshold, then the resumption at the alert's end", async () => {
    // The same lines the receiver prints (receiver/src/alerts/alert_messages.ts).
    expect(sourceSilentMessage('sftp1', 5)).toBe('No logs received from sftp1 for 5 minutes');
    expect(sourceResumedMessage('sftp1', Date.parse('2024-03-01T10:13:00Z'))).toBe('Logs from sftp1 resumed at 2024-03-01T10:13:00.000Z');
    const text = await render('logpulse.text', 'source_silent_resolved.json');
    expect(text.split('\n')[0]).toBe(sourceResumedMessage('sftp1', Date.parse('2024-03-01T10:13:00Z')));
    expect(text).not.toContain('last read an event');
    expect(await render('logpulse.subject', 'source_silent_resolved.json')).toBe('[RESOLVED] logpulse SourceSilent sftp1');
    const firing = await render('logpulse.text', 'mixed_firing.json');
    expect(firing.split('\n')[0]).toBe(sourceSilentMessage('sftp1', 5));
    const html = await render('logpulse.html', 'source_silent_resolved.json');
    expect(html).toContain('<p>Logs from sftp1 resumed at 2024-03-01T10:13:00.000Z</p>');
  });

  it('render the same lines in the HTML part', async () => {
    const html = await render('logpulse.html', 'mixed_firing.json');
    expect(html).toContain('<p>High traffic generated an alert - hits = 15.00, triggered at 2024-03-01T10:02:05.500Z</p>');
    expect(html).toContain('<a href="http://alertmanager:9093">Alertmanager</a>');
  });
});
