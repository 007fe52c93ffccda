/** The metrics HTTP server could not listen (port taken, address not available). */
export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';
  readonly code: string | undefined;

  constructor(host: string, port: number, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} is already in use (set metrics_port to a free port)`
        : code === 'EADDRNOTAVAIL'
          ? `address ${host} is not available on this host`
          : code === 'EACCES'
            ? `not allowed to listen on port ${port}`
            : String((cause as Error | undefined)?.message ?? cause);
    super(`metrics: listen on ${host}:${port}: ${why}`, { cause });
    this.code = code;
  }
}

/** Shutting down the meter provider failed, typically the last OTLP push. The server is closed. */
export class MetricsShutdownError extends Error {
  override readonly name = 'MetricsShutdownError';

  constructor(cause: unknown) {
    super(`metrics: shutdown: ${String((cause as Error | undefined)?.message ?? cause)}`, { cause });
  }
}
