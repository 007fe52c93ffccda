import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/clickhouse/index.js';
import { ClickHouseSink } from '../../../src/sinks/index.js';
import type { SyslogSource } from '../../../src/sources/syslog/index.js';
import { EngineProcess, freeLoopbackPort, requireBinary } from '../../engines/engine_process.js';
import { RecordingLogger, tempDir } from '../../sinks/sink_fixtures.js';
import { rowsArrive, startListener, SyslogCounts } from './syslog_harness.js';

const NGINX = requireBinary('/usr/sbin/nginx', 'nginx-light');
const REQUESTS = 20;

const dataDir = tempDir('syslog-nginx');
const counts = new SyslogCounts();
let store: Store;
let sink: ClickHouseSink;
let listener: SyslogSource;
let nginx: EngineProcess;
let nginxDir: string;
let httpPort: number;

/** nginx in the foreground, one process, its own prefix: two access logs sent to our UDP port. */
function nginxConf(dir: string, port: number, syslogPort: number): string {
  return `daemon off;
master_process off;
error_log stderr;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/client_body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    access_log syslog:server=127.0.0.1:${syslogPort},tag=nginx combined;
    access_log syslog:server=127.0.0.1:${syslogPort},tag=edge,nohostname combined;
    location /missing/ { return 404; }
    location / { return 200 "ok\\n"; }
  }
}
`;
}

beforeAll(async () => {
  sink = new ClickHouseSink({ dataDir, retentionDays: 3_650, flushIntervalMs: 20, logger: new RecordingLogger() });
  await sink.start();
  store = await openStore({ dataDir });
  listener = await startListener(sink, counts);
  nginxDir = await mkdtemp(join(tmpdir(), 'logpulse-nginx-'));
  await mkdir(join(nginxDir, 'logs'));
  httpPort = await freeLoopbackPort();
  await writeFile(join(nginxDir, 'nginx.conf'), nginxConf(nginxDir, httpPort, listener.udpPort));
  nginx = new EngineProcess('nginx', NGINX, ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')], join(nginxDir, 'nginx.log'));
  await nginx.waitReadyOrDiscard(`http://127.0.0.1:${httpPort}/ready`, nginxDir);
});

afterAll(async () => {
  await nginx?.stop();
  if (nginxDir) await rm(nginxDir, { recursive: true, force: true });
  await listener.shutdown();
  await sink.shutdown();
  await store.close();
});

const pathOf = (i: number): string => (i % 5 === 0 ? `/missing/${i}` : `/shop/item/${i}?ref=mail`);

describe("nginx's access_log syslog:server=", () => {
  it('stores one row per request, with the client, path, status and the host nginx names (or the sender address with nohostname)', async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`http://127.0.0.1:${httpPort}${pathOf(i)}`, { headers: { 'User-Agent': 'logpulse-test/1.0' } });
      await response.arrayBuffer();
    }
    const expected = Array.from({ length: REQUESTS }, (_, i) => `${pathOf(i)} ${i % 5 === 0 ? 404 : 200}`).sort();
    for (const [tag, source] of [['nginx', hostname().toLowerCase()], ['edge', '127.0.0.1']] as const) {
      // The readiness probe's request is logged too.
      const rows = (await rowsArrive(store, `syslog:${tag}`, REQUESTS + 1)).filter((r) => r.path !== '/ready');
      expect(rows.map((r) => `${r.path} ${r.status}`).sort()).toEqual(expected);
      expect(new Set(rows.map((r) => r.client))).toEqual(new Set(['127.0.0.1']));
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set([source]));
      expect(new Set(rows.map((r) => r.id)).size).toBe(REQUESTS);
    }
    expect(counts.message('udp', 'accepted')).toBe(2 * (REQUESTS + 1));
  });

  it('keeps identical lines (the same client, request and second) as separate events', async () => {
    for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${httpPort}/healthz`, { headers: { 'User-Agent': 'kube-probe/1.30' } })).arrayBuffer();
    await rowsArrive(store, 'syslog:nginx', REQUESTS + 1 + 5);
    const rows = (await rowsArrive(store, 'syslog:edge', REQUESTS + 1 + 5)).filter((r) => r.path === '/healthz');
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.id)).size).toBe(5);
  });
});
