import type { Logger } from 'pino';
import { ConfigError } from '../../config/config_error.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface SyslogSourceOptions {
  /** UDP address to listen on; undefined: no UDP listener. Port 0 picks a free one. */
  udp?: ListenAddress;
  /** TCP address to listen on; undefined: no TCP listener. Port 0 picks a free one. */
  tcp?: ListenAddress;
  /** Largest message (datagram or frame) accepted; larger ones are counted `too_large` and dropped. @default 65536 */
  maxMessageBytes?: number;
  /** TCP connections held at once; past it the least useful one (never sent a message, else idle longest) is closed. @default 256 */
  maxConnections?: number;
  /** A TCP connection that leaves a frame unfinished (or sends nothing) this long is closed. @default 30000 */
  idleTimeoutMs?: number;
  /** Messages per batch handed to the pipeline at most. @default 1000 */
  maxBatchLines?: number;
  /** A message waits at most this long before its batch is handed on. @default 100 */
  maxBatchAgeMs?: number;
  /** Bytes of messages waiting for the pipeline at most: past it TCP stops reading and UDP drops (counted). @default 16777216 */
  maxPendingBytes?: number;
  /** Streams (host and tag) whose parser state is kept; the least recently seen is forgotten past it. @default 10000 */
  maxStreams?: number;
  /** At shutdown, how long the pipeline may take to accept the messages already read. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Format forced on every message, undefined to detect per stream. */
  format?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export type ResolvedSyslogSourceOptions = Required<Omit<SyslogSourceOptions, 'udp' | 'tcp' | 'format' | 'logger'>>
  & Pick<SyslogSourceOptions, 'udp' | 'tcp' | 'format' | 'logger'>;

export function resolveSyslogSourceOptions(options: SyslogSourceOptions): ResolvedSyslogSourceOptions {
  return {
    udp: options.udp,
    tcp: options.tcp,
    maxMessageBytes: options.maxMessageBytes ?? 65_536,
    maxConnections: options.maxConnections ?? 256,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    maxBatchLines: options.maxBatchLines ?? 1_000,
    maxBatchAgeMs: options.maxBatchAgeMs ?? 100,
    maxPendingBytes: options.maxPendingBytes ?? 16 * 1024 * 1024,
    maxStreams: options.maxStreams ?? 10_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    format: options.format,
    logger: options.logger,
  };
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/;

/**
 * `host:port` or `[v6]:port`, as `--syslog-udp` and `--syslog-tcp` take it; `origin` names the
 * option in the error.
 */
export function parseListenAddress(text: string, origin: string): ListenAddress {
  const match = HOST_PORT.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new ConfigError(`${origin}: expected host:port (like 127.0.0.1:5514 or [::1]:514; port 0 picks a free one), got ${JSON.stringify(text)}`);
  }
  return { host: match[1] ?? match[2] ?? '', port };
}
