import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../src/demo/index.js';
import type { DemoHandle, DemoOptions } from '../../src/demo/index.js';
import { EngineProcess, freeLoopbackPort } from '../engines/engine_process.js';
import { LOGPULSE_BIN, REPO_ROOT } from '../support/cli.js';

/**
 * The compiled receiver (`logpulse run`), as an operator runs it, following an access log that
 * the demo generator writes in real time: the traffic the dashboards are built for.
 */

export interface DemoTrafficReceiverOptions {
  /** `--source`: the source (host) name of every event. */
  source: string;
  /** `--threshold`: the high-traffic threshold the receiver publishes, requests per second. */
  thresholdRps: number;
  /** The demo's schedule; `output` is the receiver's access log. */
  demo: Omit<DemoOptions, 'output'>;
}

export interface DemoTrafficReceiver {
  /** Port of the receiver's /metrics. */
  readonly metricsPort: number;
  /** The access log the demo writes and the receiver follows. */
  readonly accessLog: string;
  /** Appends whole lines to the access log (a newline ends each), between the demo's writes. */
  appendLines(lines: readonly string[]): Promise<void>;
  /** The receiver's own log, last lines, for failure messages. */
  logTail(): string;
  /** Stops the demo and the receiver and removes the temp folder. Idempotent; safe after a failed start. */
  stop(): Promise<void>;
}

/** Starts the receiver, waits until /readyz answers, then starts the demo. */
export async function startDemoTrafficReceiver(options: DemoTrafficReceiverOptions): Promise<DemoTrafficReceiver> {
  const dir = await mkdtemp(join(tmpdir(), 'logpulse-grafana-'));
  const accessLog = join(dir, 'access.log');
  let receiver: EngineProcess | undefined;
  let demo: DemoHandle | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await demo?.stop().catch(() => undefined);
      await receiver?.stop();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    // The file exists before the receiver starts, so it is followed from its first byte.
    await writeFile(accessLog, '');
    const metricsPort = await freeLoopbackPort();
    const args = [
      LOGPULSE_BIN, 'run', '--no-tui',
      '--metrics-port', String(metricsPort),
      '--data-dir', join(dir, 'data'),
      '--source', options.source,
      '--threshold', String(options.thresholdRps),
      accessLog,
    ];
    receiver = new EngineProcess('logpulse', process.execPath, args, join(dir, 'receiver.log'), { cwd: REPO_ROOT });
    await receiver.waitReady(`http://127.0.0.1:${metricsPort}/readyz`);
    demo = runDemo({ ...options.demo, output: accessLog });
    const running = receiver;
    return {
      metricsPort,
      accessLog,
      appendLines: (lines) => appendFile(accessLog, lines.map((line) => `${line}\n`).join('')),
      logTail: () => running.logTail(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
