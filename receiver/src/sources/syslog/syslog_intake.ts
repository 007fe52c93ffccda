import type { ReceiverTelemetry, SyslogTransport } from '../../model/telemetry.js';
import { parseSyslog } from './parse_syslog.js';
import type { SyslogBatcher } from './syslog_batcher.js';
import type { SyslogStreams } from './syslog_streams.js';

/** A sender's address as a source name: the IP without port, IPv4-mapped IPv6 written as IPv4. */
export function senderSource(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * What UDP and TCP share once a message's bytes are cut out: the size limit, parsing, the source
 * (the header's host name, else the sender's address) and the hand-over to the batcher, each
 * outcome counted by transport.
 */
export class SyslogIntake {
  constructor(
    private readonly batcher: SyslogBatcher,
    private readonly streams: SyslogStreams,
    private readonly telemetry: ReceiverTelemetry,
    private readonly maxMessageBytes: number,
  ) {}

  /** Takes one datagram or frame from `address`. */
  take(transport: SyslogTransport, bytes: Buffer, address: string | undefined): void {
    if (bytes.length > this.maxMessageBytes) {
      this.telemetry.syslogMessages(transport, 'too_large', 1);
      return;
    }
    if (transport === 'udp' && this.batcher.full) {
      // UDP cannot be asked to wait: while the pipeline pushes back, datagrams are lost, and counted.
      this.telemetry.syslogMessages(transport, 'dropped', 1);
      return;
    }
    const parsed = parseSyslog(bytes.toString('utf8'));
    if ('invalid' in parsed || parsed.message === '') {
      this.telemetry.syslogMessages(transport, 'unparseable', 1);
      return;
    }
    const source = parsed.hostname !== '' ? parsed.hostname : senderSource(address);
    this.batcher.add(this.streams.get(source, parsed.tag), parsed.message);
    this.telemetry.syslogMessages(transport, 'accepted', 1);
  }
}
