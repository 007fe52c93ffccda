import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ReceiverMetrics } from '../../src/metrics/index.js';
import { httpEvent } from './events.js';

/**
 * No OpenTelemetry Collector runs on this machine: a plain HTTP server stands in for its OTLP/HTTP
 * receiver and keeps the JSON bodies the real exporter posts.
 */
async function startOtlpCollector(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/metrics') bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('OTLP push', () => {
  it('pushes the same instruments with the logpulse resource on shutdown', async () => {
    const collector = await startOtlpCollector();
    try {
      const metrics = await ReceiverMetrics.create({
        metricsPort: 0,
        otlpMetricsEndpoint: collector.url,
        otlpExportIntervalMs: 60_000,
        serviceVersion: '1.2.3',
        hostName: 'edge-01',
      });
      await metrics.start();
      metrics.consumer.consume([httpEvent({ source: 'web1', path: '/pages/a', section: '/pages' })]);
      await metrics.shutdown();

      expect(collector.bodies.length).toBeGreaterThan(0);
      const body = JSON.parse(collector.bodies.at(-1) as string) as {
        resourceMetrics: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeMetrics: Array<{ metrics: Array<{ name: string }> }>;
        }>;
      };
      const resource = body.resourceMetrics[0];
      const attributes = Object.fromEntries(resource?.resource.attributes.map((a) => [a.key, a.value.stringValue]) ?? []);
      expect(attributes).toMatchObject({ 'service.name': 'logpulse', 'service.version': '1.2.3', 'host.name': 'edge-01' });
      const names = resource?.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.name)) ?? [];
      expect(names).toEqual(expect.arrayContaining(['logpulse_http_requests', 'logpulse_high_traffic_threshold_rps']));
    } finally {
      await collector.close();
    }
  });
});
