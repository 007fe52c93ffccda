import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenAddress } from './syslog_options.js';
import type { SyslogIntake } from './syslog_intake.js';

/**
 * Syslog over UDP (RFC 5426): one message per datagram. Nothing can be asked to wait, so a
 * datagram the receiver has no room for is lost; the socket's receive buffer is the only spool.
 */
export class UdpListener {
  private socket: Socket | undefined;

  constructor(
    private readonly address: ListenAddress,
    private readonly intake: SyslogIntake,
  ) {}

  get port(): number {
    return this.socket?.address().port ?? -1;
  }

  async start(): Promise<void> {
    const socket = createSocket({ type: isIPv6(this.address.host) ? 'udp6' : 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.address.port, this.address.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // After start-up a socket error (ICMP noise on some systems) must not end the receiver.
    socket.on('error', () => {});
    socket.on('message', (bytes, remote) => this.intake.take('udp', bytes, remote.address));
    this.socket = socket;
  }

  async shutdown(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
