import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverMetrics } from '../../src/metrics/index.js';
import {
  logpulseAlertmanagerFiles,
  startAlertmanager,
  startSmtpCatcher,
  startWebhookCatcher,
  waitForItem,
} from '../engines/alertmanager.js';
import type { AlertmanagerHandle, CaughtMail, Catcher, WebhookPayload } from '../engines/alertmanager.js';
import { logpulsePrometheusFiles, startPrometheus } from '../engines/prometheus.js';
import type { PrometheusHandle } from '../engines/prometheus.js';
import { httpEvent } from '../metrics/events.js';

/**
 * The whole alert path on real engines: the receiver's metrics scraped by Prometheus running the
 * repository's rules, alerts routed by Alertmanager with the repository's config and templates,
 * e-mails caught by a local SMTP server and webhooks by a local HTTP server.
 */
describe('alert delivery through Prometheus and Alertmanager', () => {
  let metrics: ReceiverMetrics;
  let prometheus: PrometheusHandle | undefined;
  let alertmanager: AlertmanagerHandle | undefined;
  let smtp: Catcher<CaughtMail> | undefined;
  let webhook: (Catcher<WebhookPayload> & { url: string }) | undefined;
  const startedAt = Date.now();

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    webhook = await startWebhookCatcher();
    alertmanager = await startAlertmanager(await logpulseAlertmanagerFiles({ smtpPort: smtp.port, webhookUrl: webhook.url }));
    metrics = await ReceiverMetrics.create({ metricsPort: 0, highTrafficThresholdRps: 1 });
    await metrics.start();
    prometheus = await startPrometheus({
      files: await logpulsePrometheusFiles({
        receiverTarget: `127.0.0.1:${metrics.port}`,
        alertmanagerTarget: `127.0.0.1:${alertmanager.port}`,
        intervalSeconds: 1,
      }),
    });
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await metrics?.shutdown();
    await smtp?.close();
    await webhook?.close();
  });

  async function waitForQuery(expr: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await prometheus!.query(expr)).length === 0) {
      if (Date.now() > deadline) throw new Error(`prometheus: no result for ${expr} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('scrapes every contract series into Prometheus', async () => {
    metrics.consumer.consume([httpEvent({ source: 'web1', path: '/pages/create', section: '/pages' })]);
    metrics.telemetry.linesProcessed('web1', 'parsed', 1);
    metrics.telemetry.sinkRows('written', 1);
    metrics.telemetry.sinkQueueRows(0);
    await waitForQuery('logpulse_http_requests_total');
    await waitForQuery('logpulse_sink_queue_rows');
    const names = new Set((await prometheus!.query('{__name__=~"logpulse_.+", job="logpulse"}')).map((s) => s.metric['__name__']));
    for (const name of [
      'logpulse_http_requests_total',
      'logpulse_http_response_bytes_total',
      'logpulse_lines_total',
      'logpulse_source_last_event_timestamp_seconds',
      'logpulse_high_traffic_threshold_rps',
      'logpulse_sink_rows_total',
      'logpulse_sink_queue_rows',
    ]) {
      expect(names, name).toContain(name);
    }
    const [up] = await prometheus!.query('up{job="logpulse"}');
    expect(up?.value[1]).toBe('1');
  });

  it('mails the exact alert text when traffic crosses the threshold, and the recovery text when it no longer does', async () => {
    metrics.consumer.consume(Array.from({ length: 3000 }, (_, i) => httpEvent({ source: 'web1', path: `/pages/${i}`, section: '/pages' })));

    const firing = await waitForItem(smtp!.received, (m) => m.text.includes('High traffic generated an alert'), 'HighTraffic e-mail', 45_000);
    expect(firing.subject).toBe('[FIRING:1] logpulse HighTraffic');
    expect(firing.to).toEqual(['oncall@example.com']);
    const fired = /^High traffic generated an alert - hits = (\d+\.\d{2}), triggered at (\S+)$/m.exec(firing.text);
    expect(fired, firing.text).not.toBeNull();
    expect(Number(fired?.[1])).toBeGreaterThan(1);
    const firedAt = Date.parse(fired?.[2] ?? '');
    expect(fired?.[2]).toBe(new Date(firedAt).toISOString());
    expect(firedAt).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(firing.html).toContain(`<p>${fired?.[0]}</p>`);

    const hook = await waitForItem(webhook!.received, (p) => p.status === 'firing' && p.groupLabels['alertname'] === 'HighTraffic', 'firing webhook');
    expect(hook.alerts[0]?.annotations['hits']).toBe(fired?.[1]);

    // Raising the threshold in the receiver is enough: the rule reads it from the metric.
    metrics.setThreshold(1_000_000);
    const recovery = await waitForItem(smtp!.received, (m) => m.text.includes('Traffic recovered'), 'recovery e-mail', 45_000);
    expect(recovery.subject).toBe('[RESOLVED] logpulse HighTraffic');
    const recovered = /^Traffic recovered - hits = (\d+\.\d{2}), recovered at (\S+)$/m.exec(recovery.text);
    expect(recovered, recovery.text).not.toBeNull();
    const recoveredAt = Date.parse(recovered?.[2] ?? '');
    expect(recovered?.[2]).toBe(new Date(recoveredAt).toISOString());
    expect(recoveredAt).toBeGreaterThan(firedAt);

    const resolvedHook = await waitForItem(webhook!.received, (p) => p.status === 'resolved', 'resolved webhook');
    expect(resolvedHook.alerts[0]?.labels['alertname']).toBe('HighTraffic');
  }, 120_000);
});
