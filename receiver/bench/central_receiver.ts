import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { readQueryPortFile, type QueryEndpoint } from '../src/query/query_port_file.js';
import { BenchError } from './bench_error.js';
import { LOGPULSE_BIN } from './paths.js';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * A central `logpulse run` that only listens: OTLP/HTTP logs on a free loopback port, the embedded
 * engine, its query endpoint for the row count. Both URLs are read from its start-up log lines.
 */
export class CentralReceiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly logsUrl: string,
    private readonly endpoint: QueryEndpoint,
    private readonly exited: Promise<number | null>,
  ) {}

  static async start(step: string, dataDir: string): Promise<CentralReceiver> {
    const child = spawn(process.execPath, [LOGPULSE_BIN, 'run', '--no-tui', '--metrics-port', '0', '--otlp-port', '0', '--data-dir', dataDir, '--log-level', 'info'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let tail = '';
    const logsUrl = await new Promise<string>((resolve, reject) => {
      let url: string | undefined;
      const timer = setTimeout(() => reject(new BenchError(step, `central receiver did not start within ${START_TIMEOUT_MS} ms: ${tail}`)), START_TIMEOUT_MS);
      void exited.then((code) => reject(new BenchError(step, `central receiver exited with ${code}: ${tail}`)));
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
        tail = (tail + line + '\n').slice(-4000);
        let record: { msg?: string; url?: string } | undefined;
        try {
          record = JSON.parse(line) as { msg?: string; url?: string };
        } catch {
          return;
        }
        if (record.msg === 'OTLP/HTTP logs endpoint listening' && typeof record.url === 'string') url = record.url;
        if (record.msg === 'logpulse receiver started' && url !== undefined) {
          clearTimeout(timer);
          resolve(url);
        }
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    const endpoint = await readQueryPortFile(dataDir);
    if (endpoint === undefined) {
      child.kill('SIGTERM');
      throw new BenchError(step, `central receiver wrote no query endpoint in ${dataDir}`);
    }
    return new CentralReceiver(child, logsUrl, endpoint, exited);
  }

  /** A number-valued query through the receiver's query endpoint. */
  async queryNumber(sql: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.endpoint.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.endpoint.token}` },
      body: JSON.stringify({ query: sql, params: {}, format: 'TSV' }),
    });
    const text = await response.text();
    if (!response.ok) throw new BenchError('central receiver', `query endpoint answered HTTP ${response.status}: ${text.trim()}`);
    return Number(text.trim());
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
    if (timedOut) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
