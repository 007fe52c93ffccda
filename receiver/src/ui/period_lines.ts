import type { PeriodSnapshot, TopEntry, UserTransfers } from './period_snapshot.js';
import { formatBytes, formatCount, formatPercent, formatRate } from './format.js';

/** One labelled line of a period block; the plain and the ink view lay them out the same way. */
export interface PeriodLine {
  label: string;
  text: string;
}

/** Progress of catching up on a backlog: bytes read of the files so far and their total size. */
export interface Progress {
  bytesRead: number;
  bytesTotal: number;
}

/** Width of the label column. */
export const LABEL_WIDTH = 13;

function topList(entries: readonly TopEntry[]): string {
  return entries.map((e) => `${e.key === '' ? '-' : e.key} ${formatCount(e.hits)} (${formatBytes(e.bytes)})`).join('   ');
}

function transferUser(user: UserTransfers): string {
  const name = user.user === '' ? '-' : user.user;
  return `${name} ${formatCount(user.uploads)} up ${formatBytes(user.bytesUp)} / ${formatCount(user.downloads)} down ${formatBytes(user.bytesDown)}`;
}

/**
 * The lines of a period: hits and status classes always, the top lists when there was HTTP
 * traffic (virtual hosts only when requests named one, so a log without them reads as it always
 * did), SFTP lines when there were transfers, and invalid lines when some were counted.
 */
export function periodLines(snapshot: PeriodSnapshot): PeriodLine[] {
  const { statusClasses: status, transfers } = snapshot;
  const lines: PeriodLine[] = [
    { label: 'hits', text: `${formatCount(snapshot.hits)}   ${formatRate(snapshot.requestsPerSecond)}   ${formatBytes(snapshot.bytes)}` },
    {
      label: 'status',
      text: `2xx ${formatCount(status['2xx'])}   3xx ${formatCount(status['3xx'])}   4xx ${formatCount(status['4xx'])}   5xx ${formatCount(status['5xx'])}   other ${formatCount(status.other)}`,
    },
  ];
  if (snapshot.topVhosts.length > 0) lines.push({ label: 'vhosts', text: topList(snapshot.topVhosts) });
  if (snapshot.topSections.length > 0) lines.push({ label: 'sections', text: topList(snapshot.topSections) });
  if (snapshot.topUsers.length > 0) lines.push({ label: 'users', text: topList(snapshot.topUsers) });
  if (snapshot.topClients.length > 0) lines.push({ label: 'clients', text: topList(snapshot.topClients) });
  if (transfers.uploads + transfers.downloads > 0) {
    lines.push({
      label: 'sftp',
      text: `${formatCount(transfers.uploads)} uploads (${formatBytes(transfers.bytesUp)})   ${formatCount(transfers.downloads)} downloads (${formatBytes(transfers.bytesDown)})`,
    });
    lines.push({ label: 'sftp users', text: transfers.topUsers.map(transferUser).join('   ') });
  }
  if (snapshot.invalidLines > 0) lines.push({ label: 'invalid', text: `${formatCount(snapshot.invalidLines)} lines` });
  return lines;
}

/** True while a backlog is being read. */
export function catchingUp(progress: Progress | undefined): progress is Progress {
  return progress !== undefined && progress.bytesRead < progress.bytesTotal;
}

/** `[#######-------------]  35%  1.2 MB of 3.4 MB`, with `fill`/`empty` as the bar's cells. */
export function progressBar(progress: Progress, cells = 30, fill = '#', empty = '-'): string {
  const ratio = progress.bytesTotal > 0 ? Math.min(progress.bytesRead / progress.bytesTotal, 1) : 1;
  const filled = Math.floor(ratio * cells);
  const bar = fill.repeat(filled) + empty.repeat(cells - filled);
  return `[${bar}] ${formatPercent(progress.bytesRead, progress.bytesTotal).padStart(4)}  ${formatBytes(progress.bytesRead)} of ${formatBytes(progress.bytesTotal)}`;
}
