import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../engines/engine_process.js';
import { REPO_ROOT } from '../support/cli.js';
import { freeLoopbackPort, spawnLogpulse, sqlRows, tempDir, waitFor, waitReady, type LogpulseChild } from './logpulse_process.js';

/** `logpulse run --syslog-udp --syslog-tcp` as an operator starts it, fed by util-linux logger. */
const LOGGER = requireBinary('/usr/bin/logger', 'bsdutils');
const ACCESS_LOG = join(REPO_ROOT, 'receiver/test/fixtures/sources/syslog/access.log');
const LINES = 12;

let receiver: LogpulseChild | undefined;
let dir: { path: string; dispose: () => Promise<void> } | undefined;

afterAll(async () => {
  await receiver?.stop('SIGKILL');
  await dir?.dispose();
});

describe('logpulse run with syslog listeners', () => {
  it('stores what logger sends over TCP and UDP, and counts messages and refusals on /metrics', async () => {
    dir = await tempDir('syslog');
    const [metricsPort, syslogPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    receiver = spawnLogpulse([
      'run', '--no-tui', '--data-dir', dir.path, '--metrics-port', String(metricsPort), '--retention-days', '10000',
      '--syslog-udp', `127.0.0.1:${syslogPort}`, '--syslog-tcp', `127.0.0.1:${syslogPort}`,
    ]);
    await waitReady(receiver, metricsPort);
    const send = (transport: string, tag: string): Promise<unknown> =>
      promisify(execFile)(LOGGER, ['--server', '127.0.0.1', '--port', String(syslogPort), transport, '--rfc3164', '--tag', tag, '--file', ACCESS_LOG]);
    await send('--tcp', 'web-tcp');
    await send('--udp', 'web-udp');
    const udp = createSocket('udp4');
    await new Promise((resolve) => udp.send('not syslog at all', syslogPort, '127.0.0.1', resolve));
    udp.close();
    const sample = (text: string, labels: string): string | undefined =>
      text.split('\n').find((line) => line.startsWith('logpulse_syslog_messages_total{') && line.includes(labels))?.split(' ').at(-1);
    await waitFor('syslog messages on /metrics', async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const counted = [sample(text, 'transport="tcp",outcome="accepted"'), sample(text, 'transport="udp",outcome="accepted"'), sample(text, 'transport="udp",outcome="unparseable"')];
      return counted.join() === `${LINES},${LINES},1` ? true : undefined;
    }, 20_000);
    const result = await receiver.stop('SIGTERM');
    expect(result.code, result.stderr).toBe(0);
    const rows = await sqlRows(dir.path, 'SELECT file, count(), uniqExact(event_id) FROM logpulse.events FINAL GROUP BY file ORDER BY file');
    expect(rows).toEqual([['syslog:web-tcp', String(LINES), String(LINES)], ['syslog:web-udp', String(LINES), String(LINES)]]);
  });
});
