import type { ReceiverTelemetry } from '../../model/telemetry.js';
import type { Source } from '../source.js';
import { SyslogBatcher } from './syslog_batcher.js';
import type { SyslogBatchHandler } from './syslog_batcher.js';
import { SyslogIntake } from './syslog_intake.js';
import { resolveSyslogSourceOptions } from './syslog_options.js';
import type { ResolvedSyslogSourceOptions, SyslogSourceOptions } from './syslog_options.js';
import { SyslogStreams } from './syslog_streams.js';
import { TcpListener } from './tcp_listener.js';
import { UdpListener } from './udp_listener.js';

/**
 * The syslog listener: RFC 3164 and RFC 5424 messages over UDP and TCP, each carrying one access
 * line, handed to the pipeline as batches per (host, tag). Lines arrive without offsets, so their
 * ids come from their content and its ordinal (see the README's "Syslog" section for the limits).
 */
export class SyslogSource implements Source {
  private readonly options: ResolvedSyslogSourceOptions;
  private readonly batcher: SyslogBatcher;
  private readonly udp: UdpListener | undefined;
  private readonly tcp: TcpListener | undefined;
  private stopped: Promise<void> | undefined;
  private ended!: () => void;
  private readonly ending = new Promise<void>((resolve) => (this.ended = resolve));

  constructor(
    options: SyslogSourceOptions,
    handler: SyslogBatchHandler,
    telemetry: ReceiverTelemetry,
    /** Forgets a stream's parser state (the pipeline's `release`). */
    release: (fileId: string) => void = () => {},
  ) {
    this.options = resolveSyslogSourceOptions(options);
    const o = this.options;
    this.batcher = new SyslogBatcher(handler, {
      maxBatchLines: o.maxBatchLines,
      maxBatchAgeMs: o.maxBatchAgeMs,
      maxPendingBytes: o.maxPendingBytes,
      format: o.format,
      onRefused: (error, attempt) => {
        if (attempt % 10 === 0) o.logger?.warn({ err: String(error), attempt }, 'syslog: batch not stored, handing it on again');
      },
    });
    const intake = new SyslogIntake(this.batcher, new SyslogStreams(o.maxStreams, release), telemetry, o.maxMessageBytes);
    this.udp = o.udp ? new UdpListener(o.udp, intake) : undefined;
    this.tcp = o.tcp
      ? new TcpListener(o.tcp, intake, this.batcher, telemetry, { maxConnections: o.maxConnections, maxMessageBytes: o.maxMessageBytes, idleTimeoutMs: o.idleTimeoutMs })
      : undefined;
  }

  /** The UDP port listened on once started, -1 without UDP. */
  get udpPort(): number {
    return this.udp?.port ?? -1;
  }

  /** The TCP port listened on once started, -1 without TCP. */
  get tcpPort(): number {
    return this.tcp?.port ?? -1;
  }

  /** TCP connections open now. */
  get openConnections(): number {
    return this.tcp?.openConnections ?? 0;
  }

  async start(): Promise<void> {
    try {
      await this.udp?.start();
      await this.tcp?.start();
    } catch (error) {
      await this.udp?.shutdown();
      throw new SyslogListenError(error);
    }
    const o = this.options;
    o.logger?.info({ udp: o.udp && `${o.udp.host}:${this.udpPort}`, tcp: o.tcp && `${o.tcp.host}:${this.tcpPort}` }, 'syslog listener started');
  }

  /** Hands on every message already read. */
  async flush(): Promise<void> {
    await this.batcher.flush();
  }

  /** A listener never has read all there is: resolves once it is shut down. */
  async done(): Promise<void> {
    await this.ending;
  }

  /**
   * Stops listening, closes connections and hands on what was read, waiting at most
   * `shutdownTimeoutMs` for the pipeline to take it (a sink that cannot store must not hold the
   * receiver's exit). Idempotent.
   */
  async shutdown(drain?: () => Promise<void>): Promise<void> {
    this.stopped ??= (async () => {
      await this.udp?.shutdown();
      await this.tcp?.shutdown();
      this.batcher.stop();
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.options.shutdownTimeoutMs);
        timer.unref();
      });
      const flushed = this.batcher.flush().then(() => 'done' as const);
      if ((await Promise.race([flushed, timeUp])) === 'late') {
        this.options.logger?.warn({ waitedMs: this.options.shutdownTimeoutMs }, 'syslog: messages read but not taken by the pipeline before shutdown are lost');
      }
      clearTimeout(timer);
      // Nothing to commit after the drain: a syslog sender keeps no position the receiver could move.
      await drain?.();
      this.ended();
    })();
    await this.stopped;
  }
}

/** A listener could not be opened (address in use, no permission for a port below 1024...). */
export class SyslogListenError extends Error {
  constructor(cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`syslog: listen: ${code ?? String(cause)}`, { cause });
    this.name = 'SyslogListenError';
  }
}
