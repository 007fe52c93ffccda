import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { SyslogSource } from '../../../src/sources/syslog/index.js';
import { EngineProcess, requireBinary } from '../../engines/engine_process.js';
import { RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { ACCESS_LINES, ACCESS_LOG_FIXTURE, eventually, rowsArrive, startListener, SyslogCounts } from './syslog_harness.js';

const RSYSLOGD = requireBinary('/usr/sbin/rsyslogd', 'rsyslog');
const HOST = 'web-rsyslog';
/** One forwarding action per way rsyslog can send: tag, omfwd parameters. */
const FORWARDS = [
  ['tcp-counted', 'protocol="tcp" TCP_Framing="octet-counted"'],
  ['tcp-lf', 'protocol="tcp"'],
  ['udp', 'protocol="udp"'],
] as const;

const dataDir = tempDir('syslog-rsyslog');
const counts = new SyslogCounts();
let store: Store;
let sink: ClickHouseSink;
let listener: SyslogSource;
let rsyslog: EngineProcess | undefined;
let dir: string;

/** rsyslog reads an nginx access log per forward (imfile) and forwards it with omfwd, as a fleet's relay does. */
function rsyslogConf(tcpPort: number, udpPort: number): string {
  const parts = [
    `global(workDirectory="${dir}/work" localHostName="${HOST}" maxMessageSize="64k")`,
    'module(load="imfile" mode="inotify")',
  ];
  for (const [tag, params] of FORWARDS) {
    const port = tag === 'udp' ? udpPort : tcpPort;
    parts.push(
      `input(type="imfile" file="${dir}/${tag}.log" tag="${tag}:" facility="local7" severity="info" ruleset="${tag}")`,
      `ruleset(name="${tag}") { action(type="omfwd" target="127.0.0.1" port="${port}" ${params}) }`,
    );
  }
  return `${parts.join('\n')}\n`;
}

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  listener = await startListener(sink, counts);
  dir = await mkdtemp(join(tmpdir(), 'logpulse-rsyslog-'));
  await mkdir(join(dir, 'work'));
  for (const [tag] of FORWARDS) await copyFile(ACCESS_LOG_FIXTURE, join(dir, `${tag}.log`));
  await writeFile(join(dir, 'rsyslog.conf'), rsyslogConf(listener.tcpPort, listener.udpPort));
  rsyslog = new EngineProcess('rsyslogd', RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], join(dir, 'rsyslogd.log'));
});

afterAll(async () => {
  await rsyslog?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  await listener.shutdown();
  await sink.shutdown();
  await store.close();
});

describe('syslog forwarded by rsyslog (imfile → omfwd)', () => {
  it.each(FORWARDS.map(([tag]) => [tag]))('stores each line of the forwarded log once over %s', async (tag) => {
    const rows = await rowsArrive(store, `syslog:${tag}`, ACCESS_LINES.length).catch((error: unknown) => {
      throw new Error(`${String(error)}\nrsyslogd log:\n${rsyslog?.logTail() ?? ''}`);
    });
    expect(rows.map((r) => r.raw)).toEqual([...ACCESS_LINES].sort());
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set([HOST]));
    expect(new Set(rows.map((r) => r.id)).size).toBe(ACCESS_LINES.length);
  });

  it('took each message exactly once: TCP in both framings, and UDP counted datagram by datagram', async () => {
    const lines = ACCESS_LINES.length;
    await eventually('every forwarded message counted', () => counts.message('tcp', 'accepted') >= 2 * lines && counts.message('udp', 'accepted') >= lines);
    // Time for a duplicate to show up, if rsyslog resent anything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(counts.message('tcp', 'accepted')).toBe(2 * lines);
    // UDP may lose datagrams by nature; on loopback with a dozen none are, and every one is counted.
    expect(counts.message('udp', 'accepted')).toBe(lines);
    expect([counts.message('tcp', 'unparseable'), counts.message('udp', 'unparseable'), counts.connection('framing_error')]).toEqual([0, 0, 0]);
    expect(counts.connection('accepted')).toBe(2);
  });
});
