import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { readQueryPortFile, type QueryEndpoint } from '../src/query/query_port_file.js';
import { BenchError } from './bench_error.js';
import { LOGPULSE_BIN } from './paths.js';

/** How long the receiver may take to start (chDB opening a fresh store, schema applied). */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * `logpulse run` following a file, as a child process: where its /metrics listens (read from its
 * start-up log line), and its query endpoint (`<dataDir>/query.port`), which is how `logpulse sql`
 * queries a running receiver.
 */
export class LiveReceiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly metricsUrl: string,
    private readonly endpoint: QueryEndpoint,
    private readonly exited: Promise<number | null>,
  ) {}

  static async start(file: string, dataDir: string): Promise<LiveReceiver> {
    const child = spawn(
      process.execPath,
      [LOGPULSE_BIN, 'run', '--no-tui', '--metrics-port', '0', '--data-dir', dataDir, '--format', 'combined', '--log-level', 'info', file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stderrTail = '';
    const metricsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BenchError('latency', `receiver did not start within ${START_TIMEOUT_MS} ms: ${stderrTail}`)), START_TIMEOUT_MS);
      void exited.then((code) => reject(new BenchError('latency', `receiver exited with ${code} before it started: ${stderrTail}`)));
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
        stderrTail = (stderrTail + line + '\n').slice(-4000);
        const record = tryJson(line);
        if (record?.msg === 'logpulse receiver started' && typeof record.metrics === 'string') {
          clearTimeout(timer);
          // The log names the metrics server; the exposition is at its /metrics.
          resolve(new URL('/metrics', record.metrics).toString());
        }
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    const endpoint = await readQueryPortFile(dataDir);
    if (endpoint === undefined) {
      child.kill('SIGTERM');
      throw new BenchError('latency', `receiver started but wrote no query endpoint in ${dataDir}`);
    }
    return new LiveReceiver(child, metricsUrl, endpoint, exited);
  }

  /** Sum of every `logpulse_http_requests_total` series on /metrics. */
  async httpRequestsTotal(): Promise<number> {
    const response = await fetch(this.metricsUrl);
    const text = await response.text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith('logpulse_http_requests_total')) continue;
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) sum += value;
    }
    return sum;
  }

  /** A number-valued query through the receiver's query endpoint (never opens the store itself). */
  async queryNumber(sql: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.endpoint.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.endpoint.token}` },
      body: JSON.stringify({ query: sql, params: {}, format: 'TSV' }),
    });
    const text = await response.text();
    if (!response.ok) throw new BenchError('latency', `query endpoint answered HTTP ${response.status}: ${text.trim()}`);
    return Number(text.trim());
  }

  /** SIGTERM, then SIGKILL if it does not end in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
    if (timedOut) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
