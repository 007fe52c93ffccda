import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/index.js';
import type { BatchHandler, CountingBatchHandler } from '../pipeline/line_batch.js';
import type { ReceiverTelemetry } from '../pipeline/telemetry.js';
import { FileSource, StdinSource } from '../sources/index.js';
import { OtlpSource } from '../sources/otlp/index.js';

/** The sources of one `run`: the files (and directories, globs) given, and stdin for `-`. */
export class ReceiverSources {
  private readonly files: FileSource | undefined;
  private readonly stdin: StdinSource | undefined;
  private readonly otlp: OtlpSource | undefined;
  private isStarted = false;

  constructor(
    config: ReceiverConfig,
    paths: readonly string[],
    counting: CountingBatchHandler,
    telemetry: ReceiverTelemetry,
    logger: Logger,
    onAllRead?: () => void,
  ) {
    const handler: BatchHandler = async (batch) => void (await counting(batch));
    const format = config.format === 'auto' ? undefined : config.format;
    const filePaths = paths.filter((p) => p !== '-');
    if (filePaths.length > 0) {
      this.files = new FileSource(
        {
          paths: filePaths,
          source: config.source,
          dataDir: config.dataDir,
          once: config.once,
          startAt: config.startAt,
          maxLineBytes: config.maxLineBytes,
          format,
          logger,
          onAllRead,
        },
        handler,
        telemetry,
      );
    }
    if (paths.includes('-')) {
      this.stdin = new StdinSource({ source: config.source, format, maxLineBytes: config.maxLineBytes }, handler);
    }
    if (config.otlpPort >= 0) {
      this.otlp = new OtlpSource(
        {
          port: config.otlpPort, host: config.otlpHost, ingestToken: config.ingestToken, ingestTokensFile: config.ingestTokensFile,
          maxBodyBytes: config.otlpMaxBodyBytes, maxLineBytes: config.maxLineBytes, format, logger,
        },
        counting,
        telemetry,
      );
    }
  }

  get started(): boolean {
    return this.isStarted;
  }

  async start(): Promise<void> {
    await this.files?.start();
    await this.stdin?.start();
    await this.otlp?.start();
    this.isStarted = true;
  }

  /** Resolves when every source has read all there is (`--once`, or stdin closed). */
  async done(): Promise<void> {
    await Promise.all([this.files?.done(), this.stdin?.done()]);
  }

  progress(): { bytesRead: number; bytesTotal: number } {
    return this.files?.progress() ?? { bytesRead: 0, bytesTotal: 0 };
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
    await this.stdin?.shutdown();
    await this.files?.shutdown(drain);
    if (!this.files) await drain();
  }
}
