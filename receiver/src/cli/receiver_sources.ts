import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/index.js';
import type { BatchHandler, CountingBatchHandler } from '../model/line_batch.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';
import { checkNamedPath, FileSource, isGlob, StdinSource } from '../sources/index.js';
import { OtlpSource } from '../sources/otlp/index.js';
import { parseListenAddress, SyslogSource } from '../sources/syslog/index.js';

/** Hooks of the receiver the sources report to. */
export interface ReceiverSourceHooks {
  /** Everything present was handed on (`--once`): flush the sink now. */
  onAllRead?: () => void;
  /** A file was read to its end and acknowledged (or a syslog stream forgotten): the pipeline may drop its state. */
  onFileForgotten?: (fileId: string) => void;
}

/**
 * The sources of one `run`: the files (and directories, globs) given, stdin for `-`, and named
 * pipes given by name (a FIFO, a process substitution's /dev/fd/63), read as streams like stdin,
 * and the OTLP and syslog listeners.
 */
export class ReceiverSources {
  private files: FileSource | undefined;
  private readonly streams: StdinSource[] = [];
  private otlp: OtlpSource | undefined;
  private syslog: SyslogSource | undefined;
  private isStarted = false;
  /** The pipeline's handler as the file and stream sources take it: they need no line counts. */
  private readonly handler: BatchHandler;

  constructor(
    private readonly config: ReceiverConfig,
    private readonly paths: readonly string[],
    private readonly counting: CountingBatchHandler,
    private readonly telemetry: ReceiverTelemetry,
    private readonly logger: Logger,
    private readonly hooks: ReceiverSourceHooks = {},
  ) {
    this.handler = async (batch) => void (await counting(batch));
  }

  get started(): boolean {
    return this.isStarted;
  }

  async start(): Promise<void> {
    const { config, handler } = this;
    const format = config.format === 'auto' ? undefined : config.format;
    const filePaths: string[] = [];
    for (const path of this.paths) {
      if (path === '-') {
        this.streams.push(new StdinSource({ source: config.source, format, maxLineBytes: config.maxLineBytes }, handler));
      } else if (!isGlob(path) && (await isStream(path, config.once))) {
        const name = `${config.source}:${resolve(path)}`;
        const stream = createReadStream(path);
        this.streams.push(new StdinSource({ stream, source: config.source, streamName: name, format, maxLineBytes: config.maxLineBytes }, handler));
      } else {
        filePaths.push(path);
      }
    }
    if (filePaths.length > 0) {
      this.files = new FileSource(
        {
          paths: filePaths,
          source: config.source,
          dataDir: config.dataDir,
          once: config.once,
          startAt: config.startAt,
          maxLineBytes: config.maxLineBytes,
          checkpointMaxGoneFiles: config.checkpointMaxGoneFiles,
          format,
          logger: this.logger,
          onAllRead: this.hooks.onAllRead,
          onFileForgotten: this.hooks.onFileForgotten,
        },
        handler,
        this.telemetry,
      );
      await this.files.start();
    }
    for (const stream of this.streams) await stream.start();
    if (config.otlpPort >= 0) {
      this.otlp = new OtlpSource(
        {
          port: config.otlpPort, host: config.otlpHost, ingestToken: config.ingestToken, ingestTokensFile: config.ingestTokensFile,
          maxBodyBytes: config.otlpMaxBodyBytes, maxLineBytes: config.maxLineBytes, format, logger: this.logger,
        },
        this.counting,
        this.telemetry,
      );
      await this.otlp.start();
    }
    if (config.syslogUdp !== '' || config.syslogTcp !== '') {
      this.syslog = new SyslogSource(
        {
          udp: config.syslogUdp === '' ? undefined : parseListenAddress(config.syslogUdp, '--syslog-udp'),
          tcp: config.syslogTcp === '' ? undefined : parseListenAddress(config.syslogTcp, '--syslog-tcp'),
          maxMessageBytes: config.syslogMaxMessageBytes,
          maxConnections: config.syslogMaxConnections,
          format,
          logger: this.logger,
        },
        handler,
        this.telemetry,
        this.hooks.onFileForgotten,
      );
      await this.syslog.start();
    }
    this.isStarted = true;
  }

  /** Resolves when every source has read all there is (`--once`, or stdin closed). */
  async done(): Promise<void> {
    await Promise.all([this.files?.done(), ...this.streams.map((stream) => stream.done())]);
  }

  progress(): { bytesRead: number; bytesTotal: number } {
    return this.files?.progress() ?? { bytesRead: 0, bytesTotal: 0 };
  }

  /** Sizes of the state kept per file, for the debug log and tests. */
  stats(): Record<string, number> {
    return this.files?.stats() ?? {};
  }

  /** True while a backlog is being read: more bytes present than read. */
  catchingUp(): boolean {
    const { bytesRead, bytesTotal } = this.progress();
    return bytesRead < bytesTotal;
  }

  /**
   * Stops reading; `drain` (the sink's flush) runs once no more lines are handed on, and the
   * offsets it acknowledged are committed before the checkpoint store closes.
   */
  async shutdown(drain: () => Promise<void>): Promise<void> {
    await this.otlp?.shutdown();
    await this.syslog?.shutdown();
    for (const stream of this.streams) await stream.shutdown();
    await this.files?.shutdown(drain);
    if (!this.files) await drain();
  }
}

/**
 * A named pipe is read as a stream. In `--once` a path that cannot be read (or is a device) fails
 * the start, naming the path and the reason; a live receiver leaves it to the file source, which
 * warns and picks it up once readable.
 */
async function isStream(path: string, once: boolean): Promise<boolean> {
  try {
    return (await checkNamedPath(path)) === 'stream';
  } catch (error) {
    if (once) throw error;
    return false;
  }
}
