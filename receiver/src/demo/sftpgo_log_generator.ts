import { documentationAddress } from './demo_addresses.js';
import type { LineGenerator } from './line_generator.js';
import { SftpgoTimeFormatter } from './log_time_format.js';
import { Prng, WeightedTable, randomId } from './prng.js';

/**
 * SFTPGo's JSON log lines (zerolog, one object a line) for a busy file-exchange server:
 * transfers (`"sender":"Upload"` / `"Download"` with `remote_addr` host:port, `username`,
 * `size_bytes`, `file_path`, `elapsed_ms`, `protocol`, `connection_id`, `local_addr`), logins
 * that open new connections, and the debug chatter of open connections. Field names and order
 * follow SFTPGo's logger.
 */

type Protocol = 'SFTP' | 'SCP' | 'FTP';

interface Session {
  username: string;
  /** Client address without port (what Login lines call `ip`). */
  ip: string;
  remoteAddr: string;
  localAddr: string;
  protocol: Protocol;
  connectionId: string;
  /** Files this account moves, for `file_path`. */
  files: readonly string[];
}

interface Account {
  username: string;
  files: readonly string[];
}

const ACCOUNTS = new WeightedTable<Account>([
  [{ username: 'alice', files: ['/reports/2026-q3.xlsx', '/reports/board-deck.pdf', '/inbox/scan-0042.pdf'] }, 3],
  [{ username: 'backup-svc', files: ['/backups/db-nightly.sql.gz', '/backups/files-weekly.tar.zst', '/backups/etc.tar.gz'] }, 4],
  [{ username: 'ci-deploy', files: ['/releases/app-4.12.0.tar.gz', '/releases/app-4.12.1.tar.gz', '/releases/checksums.txt'] }, 3],
  [{ username: 'partner-acme', files: ['/outgoing/orders-20261122.csv', '/incoming/invoices-20261121.csv', '/incoming/stock.xml'] }, 4],
  [{ username: 'james', files: ['/photos/IMG_2041.HEIC', '/photos/IMG_2042.HEIC', '/videos/site-visit.mp4'] }, 2],
  [{ username: 'bob', files: ['/shared/handbook.docx', '/shared/floorplan.dwg', '/tmp/notes.txt'] }, 2],
]);

const PROTOCOLS = new WeightedTable<Protocol>([['SFTP', 7], ['SCP', 1], ['FTP', 2]]);
const LOCAL_ADDRS: Record<Protocol, string> = { SFTP: '10.0.4.12:2022', SCP: '10.0.4.12:2022', FTP: '10.0.4.12:2121' };
const SSH_CLIENTS = ['SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5', 'SSH-2.0-OpenSSH_for_Windows_9.5', 'SSH-2.0-WinSCP_release_6.3.5', 'SSH-2.0-paramiko_3.4.0'];
const FTP_CLIENTS = ['FileZilla 3.67.1', 'lftp 4.9.2', 'curl/8.5.0'];
const MAX_SESSIONS = 12;

export interface SftpgoLogGeneratorOptions {
  /** Seed of the pseudo-random sequence: the same seed gives the same lines. @default 1 */
  seed?: number;
}

export class SftpgoLogGenerator implements LineGenerator {
  private readonly prng: Prng;
  private readonly time = new SftpgoTimeFormatter();
  /** Connections open before the log starts, so the first lines can already be transfers. */
  private readonly sessions: Session[] = [];

  constructor(options: SftpgoLogGeneratorOptions = {}) {
    this.prng = new Prng(options.seed ?? 1);
    for (let i = 0; i < 6; i++) this.sessions.push(this.newSession());
  }

  line(epochMs: number): string {
    const time = this.time.format(epochMs);
    const roll = this.prng.next();
    if (roll < 0.08) return this.login(time);
    const session = this.prng.pick(this.sessions);
    if (roll < 0.26) return this.debug(time, session);
    return this.transfer(time, session);
  }

  private transfer(time: string, s: Session): string {
    const prng = this.prng;
    const upload = prng.chance(0.45);
    const size = prng.logBetween(300, 900_000_000);
    const bytesPerMs = prng.between(1_500, 90_000);
    const record: Record<string, string | number> = {
      level: 'info',
      time,
      sender: upload ? 'Upload' : 'Download',
      local_addr: s.localAddr,
      remote_addr: s.remoteAddr,
      elapsed_ms: Math.round(size / bytesPerMs) + prng.between(2, 40),
      size_bytes: size,
      username: s.username,
      file_path: prng.pick(s.files),
      connection_id: s.connectionId,
      protocol: s.protocol,
    };
    if (s.protocol === 'FTP') record['ftp_mode'] = prng.chance(0.9) ? 'passive' : 'active';
    return JSON.stringify(record);
  }

  private login(time: string): string {
    const s = this.newSession();
    if (this.sessions.length >= MAX_SESSIONS) this.sessions[this.prng.int(this.sessions.length)] = s;
    else this.sessions.push(s);
    const ftp = s.protocol === 'FTP';
    return JSON.stringify({
      level: 'info',
      time,
      sender: 'Login',
      ip: s.ip,
      username: s.username,
      method: ftp ? 'password' : this.prng.chance(0.7) ? 'publickey' : 'password',
      protocol: ftp ? 'FTP' : 'SSH',
      connection_id: s.connectionId,
      client: this.prng.pick(ftp ? FTP_CLIENTS : SSH_CLIENTS),
      encrypted: !ftp || this.prng.chance(0.6),
    });
  }

  private debug(time: string, s: Session): string {
    const path = this.prng.pick(s.files);
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    const message = this.prng.pick([
      `requested stat for path "${dir}"`,
      `requested list for path "${dir}"`,
      `fileread requested for path: "${path}"`,
      `filewrite requested for path: "${path}", flags: 0x1a`,
      'keepalive received',
    ]);
    return JSON.stringify({ level: 'debug', time, sender: s.protocol, connection_id: s.connectionId, message });
  }

  private newSession(): Session {
    const prng = this.prng;
    const account = ACCOUNTS.pick(prng);
    const protocol = PROTOCOLS.pick(prng);
    const ip = documentationAddress(prng, 0.1);
    const port = prng.between(32_768, 60_999);
    return {
      username: account.username,
      ip,
      remoteAddr: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`,
      localAddr: LOCAL_ADDRS[protocol],
      protocol,
      connectionId: `${protocol}_${randomId(prng, 20)}`,
      files: account.files,
    };
  }
}
