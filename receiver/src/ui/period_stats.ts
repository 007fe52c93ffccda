import type { Event } from '../model/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import { ViewConfigError } from './errors.js';
import { KeyedTotals, OTHER_KEY } from './period_snapshot.js';
import type { PeriodSnapshot, StatusClasses, UserTransfers } from './period_snapshot.js';

export interface PeriodStatsOptions {
  /** Length of a period on the wall clock. @default 10 */
  periodSeconds?: number;
  /** Entries in each top list (virtual hosts, sections, users, clients, transfer users). @default 5 */
  topN?: number;
  /** Distinct keys kept per list and period; further keys are counted under `(other)`. @default 10000 */
  maxKeysPerPeriod?: number;
  /** Called with each finished period. @default nothing */
  onSnapshot?: (snapshot: PeriodSnapshot) => void;
  /** The wall clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** The running totals of the current period. */
class PeriodTotals {
  hits = 0;
  bytes = 0;
  /** Hits per status class, by `statusClassIndex`: a store keyed by class name was a tenth of `consume`. */
  readonly statusClassHits = [0, 0, 0, 0, 0];
  readonly vhosts: KeyedTotals;
  readonly sections: KeyedTotals;
  readonly users: KeyedTotals;
  readonly clients: KeyedTotals;
  uploads = 0;
  downloads = 0;
  bytesUp = 0;
  bytesDown = 0;
  readonly transferUsers = new Map<string, UserTransfers>();
  invalidLines = 0;

  constructor(readonly startMs: number, readonly maxKeys: number) {
    this.vhosts = new KeyedTotals(maxKeys);
    this.sections = new KeyedTotals(maxKeys);
    this.users = new KeyedTotals(maxKeys);
    this.clients = new KeyedTotals(maxKeys);
  }

  get empty(): boolean {
    return this.hits === 0 && this.uploads === 0 && this.downloads === 0 && this.invalidLines === 0;
  }
}

/** 0 to 3 for 2xx to 5xx, 4 for anything else (1xx, a missing status, out of range). */
function statusClassIndex(status: number): number {
  const hundreds = Math.floor(status / 100);
  return hundreds >= 2 && hundreds <= 5 ? hundreds - 2 : 4;
}

function statusClasses(hits: readonly number[]): StatusClasses {
  const [c2xx = 0, c3xx = 0, c4xx = 0, c5xx = 0, other = 0] = hits;
  return { '2xx': c2xx, '3xx': c3xx, '4xx': c4xx, '5xx': c5xx, other };
}

/**
 * The numbers of the terminal view: per wall-clock period, HTTP hits, rate, bytes, status classes
 * and top virtual hosts, sections, users and clients, and SFTP uploads and downloads per user. Everything is
 * reset at each period, so memory is bounded by the key cap whatever the traffic.
 */
export class PeriodStats implements EventConsumer {
  private readonly periodMs: number;
  private readonly topN: number;
  private readonly maxKeys: number;
  private readonly onSnapshot: (snapshot: PeriodSnapshot) => void;
  private readonly now: () => number;
  private current: PeriodTotals;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: PeriodStatsOptions = {}) {
    const periodSeconds = options.periodSeconds ?? 10;
    if (!(Number.isFinite(periodSeconds) && periodSeconds > 0)) {
      throw new ViewConfigError('periodSeconds', 'a positive number of seconds', options.periodSeconds);
    }
    this.periodMs = periodSeconds * 1000;
    this.topN = options.topN ?? 5;
    this.maxKeys = options.maxKeysPerPeriod ?? 10_000;
    if (!(Number.isInteger(this.topN) && this.topN > 0)) {
      throw new ViewConfigError('topN', 'a positive whole number of entries', options.topN);
    }
    if (!(Number.isInteger(this.maxKeys) && this.maxKeys > 0)) {
      throw new ViewConfigError('maxKeysPerPeriod', 'a positive whole number of keys', options.maxKeysPerPeriod);
    }
    this.onSnapshot = options.onSnapshot ?? (() => {});
    this.now = options.now ?? Date.now;
    this.current = new PeriodTotals(this.now(), this.maxKeys);
  }

  consume(events: readonly Event[]): void {
    const totals = this.current;
    for (const event of events) {
      if (event.kind === 'http') {
        totals.hits += 1;
        totals.bytes += event.bytes;
        totals.statusClassHits[statusClassIndex(event.status)]! += 1;
        // Only logs that name a site (vhost_combined, nginx $host, IIS cs-host) fill this list.
        if (event.vhost !== '') totals.vhosts.add(event.vhost, event.bytes);
        totals.sections.add(event.section, event.bytes);
        if (event.user !== '') totals.users.add(event.user, event.bytes);
        totals.clients.add(event.client, event.bytes);
      } else if (event.direction === 'upload' || event.direction === 'download') {
        const upload = event.direction === 'upload';
        if (upload) {
          totals.uploads += 1;
          totals.bytesUp += event.bytes;
        } else {
          totals.downloads += 1;
          totals.bytesDown += event.bytes;
        }
        const user = this.transferUser(totals, event.user);
        if (upload) {
          user.uploads += 1;
          user.bytesUp += event.bytes;
        } else {
          user.downloads += 1;
          user.bytesDown += event.bytes;
        }
      }
    }
  }

  /** Adds `count` lines that could not be parsed to the current period. */
  countInvalid(count: number): void {
    this.current.invalidLines += count;
  }

  /** Closes the current period now, starts the next one, and returns the closed period. */
  cut(): PeriodSnapshot {
    const totals = this.current;
    const endMs = this.now();
    this.current = new PeriodTotals(endMs, this.maxKeys);
    const seconds = Math.max(endMs - totals.startMs, 1) / 1000;
    return {
      startMs: totals.startMs,
      endMs,
      hits: totals.hits,
      requestsPerSecond: totals.hits / seconds,
      bytes: totals.bytes,
      statusClasses: statusClasses(totals.statusClassHits),
      topVhosts: totals.vhosts.top(this.topN),
      topSections: totals.sections.top(this.topN),
      topUsers: totals.users.top(this.topN),
      topClients: totals.clients.top(this.topN),
      transfers: {
        uploads: totals.uploads,
        downloads: totals.downloads,
        bytesUp: totals.bytesUp,
        bytesDown: totals.bytesDown,
        topUsers: [...totals.transferUsers.values()]
          .sort((a, b) => b.bytesUp + b.bytesDown - (a.bytesUp + a.bytesDown) || b.uploads + b.downloads - (a.uploads + a.downloads))
          .slice(0, this.topN)
          .map((user) => ({ ...user })),
      },
      invalidLines: totals.invalidLines,
    };
  }

  /** Hands a snapshot to `onSnapshot` every period, from an unref'ed timer. */
  start(): void {
    if (this.timer !== undefined) return;
    // The first period starts now, unless lines were already counted into it.
    if (this.current.empty) this.current = new PeriodTotals(this.now(), this.maxKeys);
    this.timer = setInterval(() => this.onSnapshot(this.cut()), this.periodMs);
    this.timer.unref();
  }

  /** Stops the timer and hands out the last, partial period if anything happened in it. Idempotent. */
  shutdown(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.current.empty) this.onSnapshot(this.cut());
  }

  private transferUser(totals: PeriodTotals, name: string): UserTransfers {
    let user = totals.transferUsers.get(name);
    if (user === undefined) {
      const key = totals.transferUsers.size >= this.maxKeys ? OTHER_KEY : name;
      user = totals.transferUsers.get(key);
      if (user === undefined) {
        user = { user: key, uploads: 0, downloads: 0, bytesUp: 0, bytesDown: 0 };
        totals.transferUsers.set(key, user);
      }
    }
    return user;
  }
}
