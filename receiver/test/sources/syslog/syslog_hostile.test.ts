import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { SyslogSource } from '../../../src/sources/syslog/index.js';
import { requireBinary } from '../../engines/engine_process.js';
import { RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { ACCESS_LINES, ACCESS_LOG_FIXTURE, eventually, rowsArrive, startListener, SyslogCounts } from './syslog_harness.js';

const LOGGER = requireBinary('/usr/bin/logger', 'bsdutils');
const IDLE_MS = 400;
const MAX_BYTES = 2048;

const dataDir = tempDir('syslog-hostile');
const counts = new SyslogCounts();
let store: Store;
let sink: ClickHouseSink;
let listener: SyslogSource;

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  listener = await startListener(sink, counts, { idleTimeoutMs: IDLE_MS, maxMessageBytes: MAX_BYTES });
});

afterAll(async () => {
  await listener.shutdown();
  await sink.shutdown();
  await store.close();
});

const frame = (tag: string, line: string): string => `<190>Nov 22 10:00:00 good-host ${tag}: ${line}`;

/** A TCP client on the listener; resolves once connected. Errors (a reset when closed) are kept, not thrown. */
async function client(): Promise<Socket & { whenClosed: Promise<number> }> {
  const socket = connect(listener.tcpPort, '127.0.0.1') as Socket & { whenClosed: Promise<number> };
  socket.on('error', () => {});
  socket.whenClosed = new Promise((resolve) => socket.once('close', () => resolve(Date.now())));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

async function sendUdp(bytes: Buffer): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(bytes, listener.udpPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  socket.close();
}

describe('hostile syslog input', () => {
  it('counts garbage as unparseable and reads on: an HTTP request on the TCP port, random bytes over UDP', async () => {
    const socket = await client();
    socket.write('GET / HTTP/1.1\r\nHost: syslog.example\r\n\r\n');
    socket.write(`${frame('after-garbage', ACCESS_LINES[0] ?? '')}\n`);
    await sendUdp(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0a]));
    await sendUdp(Buffer.from('<999>not a priority'));
    const rows = await rowsArrive(store, 'syslog:after-garbage', 1);
    expect(rows.map((r) => r.source)).toEqual(['good-host']);
    await eventually('garbage counted', () => counts.message('tcp', 'unparseable') === 2 && counts.message('udp', 'unparseable') === 2);
    socket.destroy();
  });

  it('refuses frames and datagrams past the size limit as too_large and stays in step with the next frame', async () => {
    const lf = await client();
    lf.write(`<13>${'x'.repeat(100_000)}\n${frame('after-huge-lf', ACCESS_LINES[1] ?? '')}\n`);
    const counted = await client();
    const good = frame('after-huge-counted', ACCESS_LINES[2] ?? '');
    counted.write(`1000000 ${'y'.repeat(1_000_000)}${Buffer.byteLength(good)} ${good}`);
    await sendUdp(Buffer.from(`<13>${'z'.repeat(4_000)}`));
    await rowsArrive(store, 'syslog:after-huge-lf', 1);
    await rowsArrive(store, 'syslog:after-huge-counted', 1);
    await eventually('oversized counted', () => counts.message('tcp', 'too_large') === 2 && counts.message('udp', 'too_large') === 1);
    lf.destroy();
    counted.destroy();
  });

  it('closes a connection whose octet count is wrong, counting a framing error', async () => {
    const before = counts.connection('framing_error');
    const socket = await client();
    // The count says 5; the frame is longer, so its rest stands where the next count should.
    socket.write('5 <13>Nov 22 10:00:00 h t: 192.0.2.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1');
    await socket.whenClosed;
    expect(counts.connection('framing_error')).toBe(before + 1);
  });

  it('closes a connection that never ends a frame after the idle timeout, and one that sends nothing', async () => {
    const before = counts.connection('idle_timeout');
    const partial = await client();
    const silent = await client();
    const start = Date.now();
    partial.write('<13>Nov 22 10:00:00 h t: never ends');
    const [closedPartial, closedSilent] = await Promise.all([partial.whenClosed, silent.whenClosed]);
    expect(Math.min(closedPartial, closedSilent) - start).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(counts.connection('idle_timeout')).toBe(before + 2);
  });

  it('keeps a sending connection and takes a new sender while 1,000 idle connections pile up', async () => {
    const sender = await client();
    const half = Math.ceil(ACCESS_LINES.length / 2);
    sender.write(ACCESS_LINES.slice(0, half).map((line) => `${frame('steady', line)}\n`).join(''));
    await rowsArrive(store, 'syslog:steady', half);
    const closedBefore = counts.connection('evicted') + counts.connection('idle_timeout');
    const flood = await Promise.all(Array.from({ length: 1_000 }, async (_, i) => {
      const socket = await client();
      // Half of them start a frame they never finish.
      if (i % 2 === 0) socket.write('<13>Nov 22 10:00:00 flood x: ');
      return socket;
    }));
    expect(listener.openConnections).toBeLessThanOrEqual(256);
    sender.write(ACCESS_LINES.slice(half).map((line) => `${frame('steady', line)}\n`).join(''));
    // A sender that connects during the flood gets a slot too.
    await promisify(execFile)(LOGGER, ['--server', '127.0.0.1', '--port', String(listener.tcpPort), '--tcp', '--octet-count', '--rfc5424', '--tag', 'newcomer', '--file', ACCESS_LOG_FIXTURE]);
    expect((await rowsArrive(store, 'syslog:steady', ACCESS_LINES.length)).map((r) => r.raw)).toEqual([...ACCESS_LINES].sort());
    expect((await rowsArrive(store, 'syslog:newcomer', ACCESS_LINES.length)).map((r) => r.raw)).toEqual([...ACCESS_LINES].sort());
    // Past the limit the flood's connections make room for each other, or time out doing nothing.
    expect(counts.connection('evicted') + counts.connection('idle_timeout') - closedBefore).toBeGreaterThanOrEqual(1_000 - 256);
    expect(counts.connection('evicted')).toBeGreaterThan(0);
    expect(sender.destroyed).toBe(false);
    for (const socket of flood) socket.destroy();
    sender.destroy();
  });
});
