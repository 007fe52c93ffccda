import type { Attributes } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EventMetrics,
  SectionLimiter,
  createInstruments,
  directionLabel,
  methodLabel,
  protocolLabel,
  resolveMetricsOptions,
  statusClassLabel,
} from '../../src/metrics/index.js';
import type { Instruments } from '../../src/metrics/index.js';
import { createMeterSetup } from '../../src/metrics/meter_provider.js';
import type { MeterSetup } from '../../src/metrics/meter_provider.js';
import type { Event } from '../../src/model/event.js';
import { httpEvent, transferEvent } from './events.js';

const MAX_SECTIONS = 8;
const MAX_SERIES = 40;

const setups: MeterSetup[] = [];

afterEach(async () => {
  await Promise.all(setups.splice(0).map((s) => s.provider.shutdown()));
});

async function meterSetup(): Promise<{ setup: MeterSetup; instruments: Instruments }> {
  const setup = await createMeterSetup(resolveMetricsOptions({ maxSeriesPerMetric: MAX_SERIES }));
  setups.push(setup);
  return { setup, instruments: createInstruments(setup.provider.getMeter('logpulse')) };
}

/** What the counters were meant to be: one `add` per event, labels made by the label functions. */
function addEachEvent(instruments: Instruments, sections: SectionLimiter, events: readonly Event[]): void {
  for (const e of events) {
    const { source } = e;
    if (e.kind === 'http') {
      const section = sections.label(source, e.section);
      const labels = { source, section, method: methodLabel(e.method), status_class: statusClassLabel(e.status) };
      instruments.httpRequests.add(1, labels);
      if (e.bytes > 0) instruments.httpResponseBytes.add(e.bytes, { source, section });
    } else {
      const direction = directionLabel(e.direction);
      instruments.transfers.add(1, { source, direction, protocol: protocolLabel(e.protocol) });
      if (e.bytes > 0) instruments.transferBytes.add(e.bytes, { source, direction });
    }
  }
}

/** Every counter series as `name {labels}` → value, read the way the /metrics scrape reads them. */
async function counterSeries(setup: MeterSetup): Promise<Map<string, number>> {
  const { resourceMetrics } = await setup.prometheus.collect();
  const found = new Map<string, number>();
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    if (metric.descriptor.name === 'logpulse_source_last_event_timestamp_seconds') continue;
    for (const point of metric.dataPoints) {
      found.set(`${metric.descriptor.name} ${JSON.stringify(point.attributes as Attributes)}`, point.value as number);
    }
  }
  return found;
}

/** A deterministic mix of web and SFTP events with odd methods, statuses, protocols and sections. */
function randomBatch(next: () => number, size: number): Event[] {
  const pick = <T>(values: readonly T[]): T => values[next() % values.length] as T;
  const events: Event[] = [];
  for (let i = 0; i < size; i++) {
    if (next() % 5 === 0) {
      events.push(
        transferEvent({
          source: pick(['sftp1', 'sftp2']),
          direction: pick(['upload', 'download'] as const),
          protocol: pick(['SFTP', 'ftp', 'webdav', 'HTTPShare', 'Gopher']),
          bytes: pick([0, 1, 4096, 10_485_760]),
        }),
      );
    } else {
      const section = pick(['', '/', 'x'.repeat(200), ...Array.from({ length: 14 }, (_, n) => `/s${n}`)]);
      events.push(
        httpEvent({
          source: pick(['web1', 'web2']),
          path: `${section}/page`,
          section,
          method: pick(['GET', 'get', 'POST', 'HEAD', 'PROPFIND', '']),
          status: pick([101, 200, 204, 301, 404, 503, 0, 999]),
          bytes: pick([0, 17, 1234]),
        }),
      );
    }
  }
  return events;
}

describe('EventMetrics', () => {
  it('gives the counters the same series and totals as one add per event, across batches and scrapes', async () => {
    const summed = await meterSetup();
    const reference = await meterSetup();
    const metrics = new EventMetrics(summed.instruments, new SectionLimiter(MAX_SECTIONS));
    const referenceSections = new SectionLimiter(MAX_SECTIONS);
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };

    for (let round = 0; round < 6; round++) {
      for (let batch = 0; batch < 3; batch++) {
        const events = randomBatch(next, 50 + (next() % 400));
        metrics.consume(events);
        addEachEvent(reference.instruments, referenceSections, events);
      }
      const expected = await counterSeries(reference.setup);
      expect(await counterSeries(summed.setup)).toEqual(expected);
      // The caps are reached, so the order in which label sets reach the SDK is checked too.
      expect([...expected.keys()].some((key) => key.includes('otel.metric.overflow'))).toBe(true);
    }
  });

  it('reports the newest receive time of each source at every collection', async () => {
    const { setup, instruments } = await meterSetup();
    const metrics = new EventMetrics(instruments, new SectionLimiter(MAX_SECTIONS));
    metrics.consume([
      httpEvent({ source: 'web1', path: '/a', section: '/a', receivedAt: 5_000 }),
      transferEvent({ source: 'sftp1', direction: 'upload', receivedAt: 6_000 }),
      httpEvent({ source: 'web1', path: '/a', section: '/a', receivedAt: 7_000 }),
    ]);
    metrics.consume([httpEvent({ source: 'web1', path: '/a', section: '/a', receivedAt: 9_000 })]);

    const { resourceMetrics } = await setup.prometheus.collect();
    const gauge = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'logpulse_source_last_event_timestamp_seconds');
    const seconds = Object.fromEntries(gauge?.dataPoints.map((p) => [p.attributes['source'], p.value]) ?? []);
    expect(seconds).toEqual({ web1: 9, sftp1: 6 });
  });
});
