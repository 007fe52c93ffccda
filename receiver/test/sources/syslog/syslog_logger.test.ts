import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { SyslogSource } from '../../../src/sources/syslog/index.js';
import { requireBinary } from '../../engines/engine_process.js';
import { RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { ACCESS_LINES, ACCESS_LOG_FIXTURE, rowsArrive, startListener, SyslogCounts } from './syslog_harness.js';

/** util-linux `logger`: the one sender that writes every RFC and framing on demand. */
const LOGGER = requireBinary('/usr/bin/logger', 'bsdutils');
const run = promisify(execFile);

const dataDir = tempDir('syslog-logger');
const counts = new SyslogCounts();
let store: Store;
let sink: ClickHouseSink;
let listener: SyslogSource;

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  listener = await startListener(sink, counts);
});

afterAll(async () => {
  await listener.shutdown();
  await sink.shutdown();
  await store.close();
});

// logger writes the short host name in RFC 3164 headers and the full one in RFC 5424 headers.
const SHORT_HOST = hostname().split('.')[0] ?? hostname();

describe('syslog from util-linux logger', () => {
  it.each([
    ['udp', '--rfc3164', []],
    ['udp', '--rfc5424', []],
    ['tcp', '--rfc3164', []],
    ['tcp', '--rfc5424', []],
    ['tcp', '--rfc3164', ['--octet-count']],
    ['tcp', '--rfc5424', ['--octet-count']],
  ] as const)('stores every line sent over %s in %s %s once, with its host and tag', async (transport, rfc, extra) => {
    const tag = `nginx-${transport}-${rfc.slice(2)}${extra.length > 0 ? '-counted' : ''}`;
    const port = transport === 'udp' ? listener.udpPort : listener.tcpPort;
    const before = counts.message(transport, 'accepted');
    await run(LOGGER, ['--server', '127.0.0.1', '--port', String(port), `--${transport}`, rfc, ...extra, '--tag', tag, '--file', ACCESS_LOG_FIXTURE]);
    const rows = await rowsArrive(store, `syslog:${tag}`, ACCESS_LINES.length);
    expect(rows.map((r) => r.raw)).toEqual([...ACCESS_LINES].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(ACCESS_LINES.length);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set([rfc === '--rfc3164' ? SHORT_HOST : hostname()]));
    expect(rows.every((r) => r.offset === -1)).toBe(true);
    // Once: the listener handed on exactly one message per line.
    expect(counts.message(transport, 'accepted') - before).toBe(ACCESS_LINES.length);
    const ipv6 = rows.find((r) => r.raw.startsWith('2001:db8::5'));
    expect([ipv6?.client, ipv6?.path, ipv6?.status]).toEqual(['2001:db8::5', '/api/v1/orders?id=7', 201]);
  });
});
