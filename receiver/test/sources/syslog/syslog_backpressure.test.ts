import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventSink } from '../../../src/pipeline/consumer.js';
import type { Event } from '../../../src/model/event.js';
import { eventually, startListener, SyslogCounts } from './syslog_harness.js';

/**
 * A sink that keeps every write pending until released, as ClickHouseSink does while ClickHouse is
 * down and its queue is full: chDB cannot be made to stall from outside, so this test uses a stand-in.
 */
function holdingSink(): { sink: EventSink; held: Array<() => void>; stored: () => number; holding: { on: boolean } } {
  const held: Array<() => void> = [];
  const holding = { on: true };
  let stored = 0;
  const sink = {
    start: async () => {},
    write: (events: readonly unknown[], onStored: () => void) => {
      const release = (): void => {
        stored += events.length;
        onStored();
      };
      if (!holding.on) {
        release();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => held.push(() => { release(); resolve(); }));
    },
    flush: async () => {},
    shutdown: async () => {},
  } as unknown as EventSink;
  return { sink, held, stored: () => stored, holding };
}

const LINE = (i: number): string =>
  `<190>Nov 22 10:00:00 web-9 nginx: 192.0.2.${i % 250} - - [22/Nov/2026:10:00:00 +0000] "GET /pages/${i} HTTP/1.1" 200 ${i} "-" "curl/8.5.0"\n`;

describe('syslog backpressure', () => {
  it('stops reading a TCP sender while the sink holds its writes, drops and counts UDP past the bound, and reads on once it stores', async () => {
    const { sink, held, stored, holding } = holdingSink();
    const counts = new SyslogCounts();
    const listener = await startListener(sink, counts, { maxPendingBytes: 256 * 1024 });
    try {
      const total = 200_000;
      const payload = Buffer.from(Array.from({ length: total }, (_, i) => LINE(i)).join(''));
      const socket = connect(listener.tcpPort, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(payload);
      await eventually('the first batch held by the sink', () => held.length > 0);
      const read = counts.message('tcp', 'accepted');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Nothing more is read while the pipeline has no room: the sender's bytes wait in TCP.
      expect(counts.message('tcp', 'accepted')).toBe(read);
      expect(read).toBeLessThan(total / 2);

      const udp = createSocket('udp4');
      // In steps, so that the kernel's receive buffer (shared with this process's own loop) is read between them.
      for (let i = 0; i < 3_000; i++) {
        await new Promise<void>((resolve) => udp.send(LINE(i), listener.udpPort, '127.0.0.1', () => resolve()));
        if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await eventually(() => `UDP datagrams dropped while the pipeline is full (${JSON.stringify([...counts.messages])})`, () => counts.message('udp', 'dropped') > 0, 3000);
      udp.close();

      holding.on = false;
      held.splice(0).forEach((release) => release());
      await eventually(() => `every TCP line stored (have ${stored()})`, () => {
        held.splice(0).forEach((release) => release());
        return counts.message('tcp', 'accepted') === total && stored() === total + counts.message('udp', 'accepted');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Every line read was stored once: TCP lost none, UDP lost only what it counted as dropped.
      expect(stored()).toBe(total + counts.message('udp', 'accepted'));
      expect(counts.message('udp', 'accepted') + counts.message('udp', 'dropped')).toBeLessThanOrEqual(3_000);
      socket.destroy();
    } finally {
      holding.on = false;
      held.splice(0).forEach((release) => release());
      await listener.shutdown();
    }
  });

  it('shuts down within its timeout while the sink never takes the lines read', async () => {
    const { sink, held } = holdingSink();
    const counts = new SyslogCounts();
    const listener = await startListener(sink, counts, { shutdownTimeoutMs: 300 });
    const udp = createSocket('udp4');
    await new Promise((resolve) => udp.send(LINE(1), listener.udpPort, '127.0.0.1', resolve));
    udp.close();
    await eventually('the line held by the sink', () => held.length > 0);
    const start = Date.now();
    await listener.shutdown();
    expect(Date.now() - start).toBeLessThan(2_000);
    held.splice(0).forEach((release) => release());
  });

  it('hands a batch the pipeline refused on again, with the same ids, until it is stored', async () => {
    // A sink that refuses its first write, as ClickHouseSink's write rejects when it is shut down
    // or refuses for good: the listener cannot ask the sender again, so it keeps the lines.
    const writes: Array<readonly Event[]> = [];
    let refusals = 1;
    const sink = {
      start: async () => {},
      write: async (events: readonly Event[], onStored: () => void) => {
        if (refusals-- > 0) throw new Error('insert refused');
        writes.push(events);
        onStored();
      },
      flush: async () => {},
      shutdown: async () => {},
    } as unknown as EventSink;
    const counts = new SyslogCounts();
    const listener = await startListener(sink, counts);
    try {
      const udp = createSocket('udp4');
      for (let i = 0; i < 3; i++) await new Promise((resolve) => udp.send(LINE(7), listener.udpPort, '127.0.0.1', resolve));
      udp.close();
      await eventually('the refused batch stored', () => writes.flat().length === 3);
      expect(new Set(writes.flat().map((e) => e.eventId)).size).toBe(3);
      expect(refusals).toBeLessThan(0);
    } finally {
      await listener.shutdown();
    }
  });
});
