/** What the terminal view shows for one period: the shape `PeriodStats` hands out. */

export interface TopEntry {
  /** The virtual host, section, user or client address; `(other)` collects keys past the per-period cap. */
  key: string;
  hits: number;
  bytes: number;
}

export interface StatusClasses {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  /** 1xx, missing (0) or out of range statuses. */
  other: number;
}

export interface UserTransfers {
  user: string;
  uploads: number;
  downloads: number;
  bytesUp: number;
  bytesDown: number;
}

export interface TransferTotals {
  uploads: number;
  downloads: number;
  bytesUp: number;
  bytesDown: number;
  /** Users with the most bytes moved (up + down), most first. */
  topUsers: UserTransfers[];
}

export interface PeriodSnapshot {
  /** Wall-clock start and end of the period, epoch ms. */
  startMs: number;
  endMs: number;
  /** HTTP requests in the period. */
  hits: number;
  /** hits / the period's length in seconds. */
  requestsPerSecond: number;
  /** HTTP response bytes. */
  bytes: number;
  statusClasses: StatusClasses;
  /**
   * Most hit virtual hosts (empty when no request of the period named one), sections, users
   * (authenticated only) and client addresses, most first.
   */
  topVhosts: TopEntry[];
  topSections: TopEntry[];
  topUsers: TopEntry[];
  topClients: TopEntry[];
  /** SFTP/FTP transfers (kind 'transfer'). */
  transfers: TransferTotals;
  /** Lines that could not be parsed in the period. */
  invalidLines: number;
}

/** The key that takes every new key once a map holds its cap. */
export const OTHER_KEY = '(other)';

/**
 * Hits and bytes per key for one period, capped in distinct keys so a scan of random URLs or
 * addresses cannot grow it without bound.
 */
export class KeyedTotals {
  private readonly totals = new Map<string, TopEntry>();

  constructor(private readonly maxKeys: number) {}

  add(key: string, bytes: number): void {
    let entry = this.totals.get(key);
    if (entry === undefined) {
      const capped = this.totals.size >= this.maxKeys;
      const name = capped ? OTHER_KEY : key;
      entry = this.totals.get(name);
      if (entry === undefined) {
        entry = { key: name, hits: 0, bytes: 0 };
        this.totals.set(name, entry);
      }
    }
    entry.hits += 1;
    entry.bytes += bytes;
  }

  /** The `n` keys with the most hits (then bytes, then name), most first. */
  top(n: number): TopEntry[] {
    return [...this.totals.values()]
      .sort((a, b) => b.hits - a.hits || b.bytes - a.bytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, n)
      .map((entry) => ({ ...entry }));
  }
}
