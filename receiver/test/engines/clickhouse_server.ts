import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess, freeLoopbackPort, requireBinary } from './engine_process.js';

/**
 * Starts Debian's clickhouse-server (18.16) on 127.0.0.1 with a throw-away config: free HTTP and
 * native ports, a temp data path and one password-protected user. Tests use it for the HTTP
 * transport: connection errors, batching, outages. It is too old for logpulse's schema
 * (no DateTime64, no LowCardinality by default), so tests create their own simple tables.
 */
export const CLICKHOUSE_SERVER_BIN = '/usr/sbin/clickhouse-server';

export interface ClickHouseServerHandle {
  /** http://127.0.0.1:<port> without credentials. */
  readonly httpUrl: string;
  readonly httpPort: number;
  readonly user: string;
  readonly password: string;
  /** http://user:password@127.0.0.1:<port> */
  readonly urlWithCredentials: string;
  /**
   * Stops the process (SIGTERM, then SIGKILL after 10 s; `SIGKILL` at once for a crash); the data
   * stays for `restart()`.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same ports and data. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** A free loopback port (the name the sink tests import). */
export const freePort = freeLoopbackPort;

function configXml(dir: string, httpPort: number, tcpPort: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
`;
}

function usersXml(user: string, password: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
  <users>
    <${user}>
      <password>${password}</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </${user}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

/** Starts a server; throws (never skips) when the binary is missing. */
export async function startClickHouseServer(): Promise<ClickHouseServerHandle> {
  const bin = requireBinary(CLICKHOUSE_SERVER_BIN, 'clickhouse-server');
  const dir = await mkdtemp(join(tmpdir(), 'logpulse-chserver-'));
  for (const sub of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) await mkdir(join(dir, sub));
  const httpPort = await freePort();
  const tcpPort = await freePort();
  const user = 'ingest';
  const password = 'p4ss-w0rd';
  await writeFile(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort));
  await writeFile(join(dir, 'users.xml'), usersXml(user, password));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  let running: EngineProcess | undefined;

  const start = async (): Promise<void> => {
    // The server writes its own logs (config.xml); the console log only catches start-up failures.
    const proc = new EngineProcess('clickhouse-server', bin, [`--config-file=${join(dir, 'config.xml')}`], join(dir, 'log', 'console.log'), {
      cwd: dir,
    });
    running = proc;
    await proc.waitReady(`${httpUrl}/ping`);
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const proc = running;
    running = undefined;
    await proc?.stop(signal);
  };

  try {
    await start();
  } catch (error) {
    await stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    httpUrl,
    httpPort,
    user,
    password,
    urlWithCredentials: `http://${user}:${password}@127.0.0.1:${httpPort}`,
    stop,
    restart: start,
    dispose: async () => {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
