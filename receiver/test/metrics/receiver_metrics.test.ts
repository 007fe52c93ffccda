import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsListenError, ReceiverMetrics } from '../../src/metrics/index.js';
import type { ReceiverMetricsOptions } from '../../src/metrics/index.js';
import { httpEvent, transferEvent } from './events.js';
import { scrape, series } from './scrape.js';
import type { Sample } from './scrape.js';

const running: ReceiverMetrics[] = [];

async function startMetrics(options: ReceiverMetricsOptions = {}): Promise<ReceiverMetrics> {
  const metrics = await ReceiverMetrics.create({ metricsPort: 0, hostName: 'test-host', serviceVersion: '9.9.9', ...options });
  await metrics.start();
  running.push(metrics);
  return metrics;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.shutdown()));
});

function labelKeys(sample: Sample): string[] {
  return Object.keys(sample.labels).sort();
}

describe('ReceiverMetrics', () => {
  it('exposes every series of the contract table with exactly its labels', async () => {
    const metrics = await startMetrics({ highTrafficThresholdRps: 25 });
    const before = Date.now();
    metrics.consumer.consume([
      httpEvent({ source: 'web1', path: '/pages/create', section: '/pages', bytes: 100 }),
      httpEvent({ source: 'web1', path: '/pages/edit?id=3', section: '/pages', bytes: 50, method: 'POST', status: 302 }),
      httpEvent({ source: 'web1', path: '/api/users', section: '/api', status: 503, bytes: 0 }),
      transferEvent({ source: 'sftp1', direction: 'upload', bytes: 2000 }),
      transferEvent({ source: 'sftp1', direction: 'download', protocol: 'FTP', bytes: 500 }),
    ]);
    metrics.telemetry.linesProcessed('web1', 'parsed', 3);
    metrics.telemetry.linesProcessed('web1', 'invalid', 2);
    metrics.telemetry.linesProcessed('web1', 'truncated', 1);
    metrics.telemetry.fileSkipped('web1', '/var/log/nginx/error.log', 'nginx error log, not an access or transfer log');
    metrics.telemetry.fileSkipped('web1', '/var/log/nginx/error.log.1', 'nginx error log, not an access or transfer log');
    metrics.telemetry.sinkRows('written', 5);
    metrics.telemetry.sinkRows('retried', 2);
    metrics.telemetry.sinkRows('failed', 1);
    metrics.telemetry.sinkQueueRows(7);
    metrics.telemetry.futureEvents('web1', 2);

    const samples = await scrape(metrics.url);
    const expectations: Array<[string, string[]]> = [
      ['logpulse_http_requests_total', ['method', 'section', 'source', 'status_class']],
      ['logpulse_http_response_bytes_total', ['section', 'source']],
      ['logpulse_transfers_total', ['direction', 'protocol', 'source']],
      ['logpulse_transfer_bytes_total', ['direction', 'source']],
      ['logpulse_lines_total', ['outcome', 'source']],
      ['logpulse_files_skipped_total', ['source']],
      ['logpulse_source_last_event_timestamp_seconds', ['source']],
      ['logpulse_high_traffic_threshold_rps', []],
      ['logpulse_sink_rows_total', ['outcome']],
      ['logpulse_sink_queue_rows', []],
      ['logpulse_events_future_total', ['source']],
    ];
    for (const [name, keys] of expectations) {
      const found = series(samples, name);
      expect(found.length, name).toBeGreaterThan(0);
      for (const sample of found) expect(labelKeys(sample), name).toEqual(keys);
    }

    const requests = series(samples, 'logpulse_http_requests_total').map((s) => ({ ...s.labels, value: s.value }));
    expect(requests).toEqual(
      expect.arrayContaining([
        { source: 'web1', section: '/pages', method: 'GET', status_class: '2xx', value: 1 },
        { source: 'web1', section: '/pages', method: 'POST', status_class: '3xx', value: 1 },
        { source: 'web1', section: '/api', method: 'GET', status_class: '5xx', value: 1 },
      ]),
    );
    expect(requests).toHaveLength(3);
    const bytes = series(samples, 'logpulse_http_response_bytes_total');
    expect(bytes.find((s) => s.labels['section'] === '/pages')?.value).toBe(150);
    const transfers = series(samples, 'logpulse_transfers_total').map((s) => ({ ...s.labels, value: s.value }));
    expect(transfers).toEqual(
      expect.arrayContaining([
        { source: 'sftp1', direction: 'upload', protocol: 'SFTP', value: 1 },
        { source: 'sftp1', direction: 'download', protocol: 'FTP', value: 1 },
      ]),
    );
    const transferBytes = series(samples, 'logpulse_transfer_bytes_total');
    expect(transferBytes.find((s) => s.labels['direction'] === 'upload')?.value).toBe(2000);
    const lines = series(samples, 'logpulse_lines_total');
    expect(Object.fromEntries(lines.map((s) => [s.labels['outcome'], s.value]))).toEqual({ parsed: 3, invalid: 2, truncated: 1 });
    expect(series(samples, 'logpulse_files_skipped_total').map((s) => [s.labels['source'], s.value])).toEqual([['web1', 2]]);
    const sink = series(samples, 'logpulse_sink_rows_total');
    expect(Object.fromEntries(sink.map((s) => [s.labels['outcome'], s.value]))).toEqual({ written: 5, retried: 2, failed: 1 });
    expect(series(samples, 'logpulse_sink_queue_rows')[0]?.value).toBe(7);
    expect(series(samples, 'logpulse_events_future_total').map((s) => [s.labels['source'], s.value])).toEqual([['web1', 2]]);
    expect(series(samples, 'logpulse_high_traffic_threshold_rps')[0]?.value).toBe(25);
    const lastSeen = series(samples, 'logpulse_source_last_event_timestamp_seconds');
    expect(lastSeen.map((s) => s.labels['source']).sort()).toEqual(['sftp1', 'web1']);
    for (const sample of lastSeen) expect(sample.value).toBeGreaterThanOrEqual(Math.floor(before / 1000) - 1);
  });

  it('describes the receiver in target_info with service name, version and host', async () => {
    const metrics = await startMetrics();
    const info = series(await scrape(metrics.url), 'target_info');
    expect(info[0]?.labels).toMatchObject({ service_name: 'logpulse', service_version: '9.9.9', host_name: 'test-host' });
  });

  it('folds unknown methods, statuses and protocols into other', async () => {
    const metrics = await startMetrics();
    metrics.consumer.consume([
      httpEvent({ source: 'web1', path: '/', section: '/', method: 'get' }),
      httpEvent({ source: 'web1', path: '/', section: '/', method: 'PROPFIND', status: 207 }),
      httpEvent({ source: 'web1', path: '/', section: '/', method: '\\x16\\x03\\x01', status: 0 }),
      transferEvent({ source: 'sftp1', direction: 'upload', protocol: 'Gopher' }),
      transferEvent({ source: 'sftp1', direction: 'download', protocol: 'webdav' }),
    ]);
    const samples = await scrape(metrics.url);
    const requests = series(samples, 'logpulse_http_requests_total').map((s) => `${s.labels['method']} ${s.labels['status_class']}`);
    expect(requests.sort()).toEqual(['GET 2xx', 'other 2xx', 'other other']);
    const protocols = series(samples, 'logpulse_transfers_total').map((s) => s.labels['protocol']);
    expect(protocols.sort()).toEqual(['DAV', 'other']);
  });

  it('keeps at most maxSectionsPerSource sections per source when 10 000 random URLs arrive', async () => {
    const metrics = await startMetrics({ maxSectionsPerSource: 50 });
    metrics.consumer.consume([httpEvent({ source: 'web1', path: '/pages/1', section: '/pages' })]);
    let seed = 42;
    const random = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed.toString(36);
    };
    for (let batch = 0; batch < 10; batch++) {
      const events = [];
      for (let i = 0; i < 1000; i++) {
        const section = `/${random()}`;
        events.push(httpEvent({ source: batch % 2 === 0 ? 'web1' : 'web2', path: `${section}/${random()}`, section }));
      }
      metrics.consumer.consume(events);
    }
    metrics.consumer.consume([httpEvent({ source: 'web1', path: '/pages/2', section: '/pages' })]);

    const requests = series(await scrape(metrics.url), 'logpulse_http_requests_total');
    for (const source of ['web1', 'web2']) {
      const sections = new Set(requests.filter((s) => s.labels['source'] === source).map((s) => s.labels['section']));
      expect(sections.size).toBe(51);
      expect(sections.has('other')).toBe(true);
    }
    const pages = requests.find((s) => s.labels['source'] === 'web1' && s.labels['section'] === '/pages');
    expect(pages?.value).toBe(2);
    const total = requests.reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(10_002);
  });

  it('keeps at most maxSources source labels when senders make up host names, counting the rest as other', async () => {
    const metrics = await startMetrics({ maxSources: 3 });
    const hosts = ['web-1', 'web-2', 'web-3', 'made-up-1', 'made-up-2', 'x'.repeat(200)];
    metrics.consumer.consume(hosts.map((source) => httpEvent({ source, path: '/pages/1', section: '/pages' })));
    for (const source of hosts) metrics.telemetry.linesProcessed(source, 'parsed', 1);
    const samples = await scrape(metrics.url);
    const requestSources = series(samples, 'logpulse_http_requests_total').map((s) => [s.labels['source'], s.value]);
    expect(Object.fromEntries(requestSources)).toEqual({ 'web-1': 1, 'web-2': 1, 'web-3': 1, other: 3 });
    const lineSources = series(samples, 'logpulse_lines_total').map((s) => s.labels['source']);
    expect(new Set(lineSources)).toEqual(new Set(['web-1', 'web-2', 'web-3', 'other']));
    await expect(ReceiverMetrics.create({ maxSources: 0 })).rejects.toThrow('maxSources: expected a positive integer, got 0');
  });

  it('caps the series of an instrument at maxSeriesPerMetric, folding the rest into one overflow series', async () => {
    const metrics = await startMetrics({ maxSectionsPerSource: 1000, maxSeriesPerMetric: 20 });
    metrics.consumer.consume(
      Array.from({ length: 100 }, (_, i) => httpEvent({ source: 'web1', path: `/s${i}/x`, section: `/s${i}` })),
    );
    const requests = series(await scrape(metrics.url), 'logpulse_http_requests_total');
    expect(requests.length).toBeLessThanOrEqual(20);
    expect(requests.filter((s) => s.labels['otel_metric_overflow'] === 'true')).toHaveLength(1);
    expect(requests.reduce((sum, s) => sum + s.value, 0)).toBe(100);
  });

  it('publishes a new threshold set at run time', async () => {
    const metrics = await startMetrics();
    expect(series(await scrape(metrics.url), 'logpulse_high_traffic_threshold_rps')[0]?.value).toBe(10);
    metrics.setThreshold(2.5);
    expect(series(await scrape(metrics.url), 'logpulse_high_traffic_threshold_rps')[0]?.value).toBe(2.5);
    expect(() => metrics.setThreshold(0)).toThrow('threshold: expected a positive number of requests per second, got 0');
  });

  it('answers healthz, and readyz from the readiness check', async () => {
    let readiness: { ready: true } | { ready: false; reason: string } = { ready: false, reason: 'sink: clickhouse at http://127.0.0.1:8123 unreachable' };
    const metrics = await startMetrics({ ready: () => readiness });
    const health = await fetch(`${metrics.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'alive' });

    const notReady = await fetch(`${metrics.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', reason: 'sink: clickhouse at http://127.0.0.1:8123 unreachable' });

    readiness = { ready: true };
    const ready = await fetch(`${metrics.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('reports a readiness check that throws as not ready with its message', async () => {
    const metrics = await startMetrics({
      ready: async () => {
        throw new Error('sources: /var/log/nginx/access.log: EACCES');
      },
    });
    const response = await fetch(`${metrics.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not ready',
      reason: 'readiness check failed: sources: /var/log/nginx/access.log: EACCES',
    });
    expect((await fetch(`${metrics.url}/nothing`)).status).toBe(404);
  });

  it('fails to start with an error naming the port when the port is busy', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const metrics = await ReceiverMetrics.create({ metricsPort: port });
      running.push(metrics);
      const error = await metrics.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MetricsListenError);
      expect((error as Error).message).toBe(`metrics: listen on 127.0.0.1:${port}: port ${port} is already in use (set metrics_port to a free port)`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects a bad option at construction, naming it', async () => {
    await expect(ReceiverMetrics.create({ metricsPort: 70000 })).rejects.toThrow('metricsPort: expected a port number from 0 to 65535, got 70000');
    await expect(ReceiverMetrics.create({ maxSectionsPerSource: -1 })).rejects.toThrow('maxSectionsPerSource');
  });

  it('shuts down idempotently and stops answering', async () => {
    const metrics = await startMetrics();
    const url = metrics.url;
    await metrics.shutdown();
    await metrics.shutdown();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
