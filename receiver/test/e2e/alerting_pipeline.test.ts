import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/index.js';
import type { DemoHandle } from '../../src/demo/index.js';
import {
  logpulseAlertmanagerFiles,
  startAlertmanager,
  startSmtpCatcher,
  startWebhookCatcher,
  waitForItem,
} from '../engines/alertmanager.js';
import type { WebhookPayload } from '../engines/alertmanager.js';
import { logpulsePrometheusFiles, startPrometheus } from '../engines/prometheus.js';
import { freeLoopbackPort, spawnLogpulse, tempDir, waitFor, waitReady } from './logpulse_process.js';

/**
 * The acceptance test of metrics and alerting: the demo generator writes a log, the compiled
 * receiver follows it, Debian's Prometheus scrapes it and evaluates the repository's rules,
 * Debian's Alertmanager routes the alerts with the repository's config and templates to a webhook
 * and a mail relay run by the test. Nothing but the intervals and addresses is shortened:
 * HighTraffic keeps its 2-minute window, so its recovery takes a little over two minutes.
 *
 * Timeline (t = first demo line):
 *   t 0..15    burst, 40 lines/s: the 2-minute average passes the 2 req/s threshold within seconds
 *   t 15..     no line: SourceSilent (window shortened to 5 s) fires
 *   then       1 line/s again: SourceSilent resolves; HighTraffic resolves once the burst has left
 *              the 2-minute window (1 line/s alone is below the threshold)
 */

const SOURCE = 'e2e-web';
const THRESHOLD_RPS = 2;
const SILENT_SECONDS = 5;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

type Notification = WebhookPayload['alerts'][number];

function notifications(received: WebhookPayload[], alertname: string, status: 'firing' | 'resolved'): Notification[] {
  return received.flatMap((payload) => payload.alerts).filter((a) => a.labels['alertname'] === alertname && a.status === status);
}

/** A sample of the exposition text: `name{labels} value`. */
function sampleLines(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('alerting on the real engines', () => {
  it('fires and resolves HighTraffic and SourceSilent from a demo log through Prometheus and Alertmanager', async () => {
    const dir = await tempDir('alerting');
    cleanups.push(dir.dispose);
    const log = join(dir.path, 'access.log');
    await writeFile(log, '');

    const smtp = await startSmtpCatcher();
    cleanups.push(smtp.close);
    const webhook = await startWebhookCatcher();
    cleanups.push(webhook.close);
    const alertmanager = await startAlertmanager(await logpulseAlertmanagerFiles({ smtpPort: smtp.port, webhookUrl: webhook.url, groupSeconds: 1 }));
    cleanups.push(alertmanager.stop);

    const metricsPort = await freeLoopbackPort();
    const receiver = spawnLogpulse([
      'run', '--no-tui', '--data-dir', join(dir.path, 'data'), '--metrics-port', String(metricsPort),
      '--source', SOURCE, '--threshold', String(THRESHOLD_RPS), log,
    ]);
    cleanups.push(() => receiver.stop('SIGKILL'));
    await waitReady(receiver, metricsPort);

    const prometheus = await startPrometheus({
      files: await logpulsePrometheusFiles({
        receiverTarget: `127.0.0.1:${metricsPort}`,
        alertmanagerTarget: `127.0.0.1:${alertmanager.port}`,
        intervalSeconds: 1,
        sourceSilentThresholdSeconds: SILENT_SECONDS,
      }),
    });
    cleanups.push(prometheus.stop);

    const demos: DemoHandle[] = [];
    cleanups.push(() => Promise.all(demos.map((demo) => demo.stop())));
    const burst = runDemo({ output: log, rate: 1, burstRate: 40, burstSeconds: 15, firstBurstAfterSeconds: 0, quietSeconds: 3600, durationSeconds: 15 });
    demos.push(burst);

    // While the burst runs, /metrics carries the contract series with the --source given.
    const text = await waitFor('demo requests in /metrics', async () => {
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return sampleLines(body, 'logpulse_http_requests_total').length > 0 ? body : undefined;
    }, 20_000);
    const requests = sampleLines(text, 'logpulse_http_requests_total');
    expect(requests.every((line) => line.includes(`source="${SOURCE}"`))).toBe(true);
    expect(requests.some((line) => /section="\/[^"]*"/.test(line) && /method="GET"/.test(line) && /status_class="2xx"/.test(line))).toBe(true);
    expect(sampleLines(text, 'logpulse_http_response_bytes_total').some((line) => line.includes(`source="${SOURCE}"`) && line.includes('section="'))).toBe(true);
    expect(sampleLines(text, 'logpulse_lines_total').some((line) => line.includes(`source="${SOURCE}"`) && line.includes('outcome="parsed"'))).toBe(true);
    expect(sampleLines(text, 'logpulse_source_last_event_timestamp_seconds').some((line) => line.includes(`source="${SOURCE}"`))).toBe(true);
    expect(sampleLines(text, 'logpulse_high_traffic_threshold_rps').map((line) => line.split(' ').at(-1))).toEqual([String(THRESHOLD_RPS)]);
    expect(sampleLines(text, 'logpulse_sink_queue_rows')).toHaveLength(1);
    await waitFor('rows written to ClickHouse in /metrics', async () => {
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return sampleLines(body, 'logpulse_sink_rows_total').some((line) => line.includes('outcome="written"')) ? true : undefined;
    }, 20_000);

    // HighTraffic: the firing notification, its text in the mail rendered from the same alert.
    const firing = await waitForItem(webhook.received, (p) => notifications([p], 'HighTraffic', 'firing').length > 0, 'HighTraffic firing webhook', 60_000);
    const fired = notifications([firing], 'HighTraffic', 'firing')[0]!;
    expect(Number(fired.annotations['hits'])).toBeGreaterThan(THRESHOLD_RPS);
    const firedText = `High traffic generated an alert - hits = ${fired.annotations['hits']}, triggered at ${new Date(fired.startsAt).toISOString()}`;
    expect(fired.annotations['hits']).toMatch(/^\d+\.\d{2}$/);
    await waitForItem(smtp.received, (mail) => mail.text.includes(firedText), `mail saying "${firedText}"`, 30_000);

    // SourceSilent fires once the burst has stopped for longer than the shortened window.
    await burst.done;
    const stoppedWriting = Date.now();
    await waitForItem(webhook.received, (p) => notifications([p], 'SourceSilent', 'firing').some((a) => a.labels['source'] === SOURCE), 'SourceSilent firing webhook', 60_000);
    const silent = notifications(webhook.received, 'SourceSilent', 'firing')[0]!;
    // Not before the window has passed: log times have whole seconds, hence a margin below it.
    expect(Date.parse(silent.startsAt)).toBeGreaterThanOrEqual(stoppedWriting + (SILENT_SECONDS - 2) * 1_000);

    // Writing again resolves SourceSilent; 1 line/s keeps the average under the threshold.
    const steady = runDemo({ output: log, rate: 1, burstSeconds: 0, seed: 2 });
    demos.push(steady);
    await waitForItem(webhook.received, (p) => notifications([p], 'SourceSilent', 'resolved').some((a) => a.labels['source'] === SOURCE), 'SourceSilent resolved webhook', 60_000);

    // HighTraffic resolves when the burst has left the 2-minute window.
    const resolvedPayload = await waitForItem(webhook.received, (p) => notifications([p], 'HighTraffic', 'resolved').length > 0, 'HighTraffic resolved webhook', 180_000);
    const resolved = notifications([resolvedPayload], 'HighTraffic', 'resolved')[0]!;
    expect(Date.parse(resolved.endsAt)).toBeGreaterThan(Date.parse(fired.startsAt));
    const resolvedText = `Traffic recovered - hits = ${resolved.annotations['hits']}, recovered at ${new Date(resolved.endsAt).toISOString()}`;
    await waitForItem(smtp.received, (mail) => mail.text.includes(resolvedText), `mail saying "${resolvedText}"`, 30_000);
    // At the evaluation that resolved it, the rule's own expression was at or below the threshold
    // (asked at that instant: the average hovers near the threshold for a few seconds around it).
    const at = Date.parse(resolved.endsAt) / 1000;
    const expr = encodeURIComponent('sum(rate(logpulse_http_requests_total[2m]))');
    const answer = (await (await fetch(`${prometheus.url}/api/v1/query?query=${expr}&time=${at}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    expect(Number(answer.data.result[0]?.value[1])).toBeLessThanOrEqual(THRESHOLD_RPS);
    expect(receiver.child.exitCode).toBeNull();

    // The receiver's own evaluator (same threshold, same 2-minute window) printed both texts too.
    await waitFor('the recovery in the receiver\'s own output', () => (/^Traffic recovered - hits = \d+\.\d{2}, recovered at \S+Z$/m.test(receiver.stdout()) ? true : undefined), 30_000);
    expect(receiver.stdout()).toMatch(/^High traffic generated an alert - hits = \d+\.\d{2}, triggered at \d{4}-\d{2}-\d{2}T[\d:.]+Z$/m);
  }, 330_000);
});
