import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { ReceiverTelemetry, SyslogConnectionOutcome } from '../../model/telemetry.js';
import { FrameDecoder, FramingError } from './frame_decoder.js';
import type { FrameEvent } from './frame_decoder.js';
import type { SyslogBatcher } from './syslog_batcher.js';
import type { SyslogIntake } from './syslog_intake.js';
import type { ListenAddress } from './syslog_options.js';

export interface TcpListenerOptions {
  maxConnections: number;
  maxMessageBytes: number;
  idleTimeoutMs: number;
}

/** One connection's state, owned by the listener: made at accept, forgotten at close. */
interface Connection {
  readonly socket: Socket;
  readonly decoder: FrameDecoder;
  readonly acceptedAt: number;
  /** Frames read so far: a connection that never sent one is the first to go when slots run out. */
  frames: number;
  lastFrameAt: number;
  /** Reading stopped while the pipeline pushes back: not idle by the sender's doing. */
  waiting: boolean;
}

/**
 * Syslog over TCP (RFC 6587), LF-delimited or octet-counted per connection. Reading a connection
 * stops while the pipeline has not taken the messages already read, so a slow ClickHouse slows
 * the senders instead of filling memory. Connections are bounded: past `maxConnections`, a new
 * one takes the slot of one that never sent a message (the oldest), else of the one idle
 * longest, so a flood of idle connections cannot lock out a sender that is sending.
 */
export class TcpListener {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private sequence = 0;

  constructor(
    private readonly address: ListenAddress,
    private readonly intake: SyslogIntake,
    private readonly batcher: SyslogBatcher,
    private readonly telemetry: ReceiverTelemetry,
    private readonly options: TcpListenerOptions,
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null | undefined)?.port ?? -1;
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.connections.size;
  }

  async start(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {});
    this.server = server;
  }

  /** Stops accepting and closes every connection; what was read stays with the batcher. */
  async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.connections) connection.socket.destroy();
    this.connections.clear();
    await closed;
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.options.maxConnections) this.evictOne();
    const connection: Connection = {
      socket,
      decoder: new FrameDecoder(this.options.maxMessageBytes),
      acceptedAt: this.sequence++,
      frames: 0,
      lastFrameAt: 0,
      waiting: false,
    };
    this.connections.add(connection);
    this.telemetry.syslogConnection('accepted');
    socket.setTimeout(this.options.idleTimeoutMs);
    socket.on('timeout', () => {
      // Idle between whole messages is how long-lived senders (rsyslog) behave; idle inside one is not.
      if (!connection.waiting && (connection.frames === 0 || connection.decoder.partial)) this.close(connection, 'idle_timeout');
    });
    socket.on('data', (chunk: Buffer) => this.read(connection, chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.connections.delete(connection));
  }

  private read(connection: Connection, chunk: Buffer): void {
    const events: FrameEvent[] = [];
    let failed: FramingError | undefined;
    try {
      connection.decoder.push(chunk, events);
    } catch (error) {
      if (!(error instanceof FramingError)) throw error;
      failed = error;
    }
    const address = connection.socket.remoteAddress;
    for (const event of events) {
      if (event.kind === 'too_large') this.telemetry.syslogMessages('tcp', 'too_large', 1);
      else this.intake.take('tcp', event.bytes, address);
    }
    connection.frames += events.length;
    if (events.length > 0) connection.lastFrameAt = this.sequence++;
    if (failed) {
      this.close(connection, 'framing_error');
      return;
    }
    if (this.batcher.busy || this.batcher.full) void this.waitForRoom(connection);
  }

  /** Stops reading until the round of batches now handed on is taken (the pipeline has room). */
  private async waitForRoom(connection: Connection): Promise<void> {
    if (connection.waiting) return;
    connection.waiting = true;
    connection.socket.pause();
    // One round, not "until idle": under a steady UDP load the batcher is rarely idle.
    await this.batcher.roundDone();
    while (this.batcher.full && this.batcher.busy) await this.batcher.roundDone();
    connection.waiting = false;
    if (!connection.socket.destroyed) connection.socket.resume();
  }

  private evictOne(): void {
    let victim: Connection | undefined;
    for (const c of this.connections) {
      if (victim === undefined) victim = c;
      else if (c.frames === 0 && (victim.frames > 0 || c.acceptedAt < victim.acceptedAt)) victim = c;
      else if (c.frames > 0 && victim.frames > 0 && c.lastFrameAt < victim.lastFrameAt) victim = c;
    }
    if (victim) this.close(victim, 'evicted');
  }

  private close(connection: Connection, outcome: SyslogConnectionOutcome): void {
    if (!this.connections.delete(connection)) return;
    this.telemetry.syslogConnection(outcome);
    connection.socket.destroy();
  }
}
