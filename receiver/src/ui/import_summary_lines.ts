import { formatCount } from './format.js';
import type { ImportSummary, NamedReason } from './import_summary.js';
import type { PeriodLine } from './period_lines.js';

/** Width of the label column of the import summary (its labels are longer than a period's). */
export const SUMMARY_LABEL_WIDTH = 16;

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function named(count: number, list: readonly NamedReason[]): string {
  const shown = list.map((n) => `${n.name} (${n.reason})`);
  if (count > list.length) shown.push(`${formatCount(count - list.length)} more`);
  return shown.length === 0 ? '0' : `${formatCount(count)}: ${shown.join(', ')}`;
}

/** `0.84 s` below a minute, `3 min 12 s` above. */
function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * The lines of the import summary, the same in the plain and the ink view. Invalid lines are
 * listed by reason, most frequent first, each with the first line refused for it (where it was,
 * as a byte offset, and its text as a JSON string so that control bytes stay visible).
 */
export function importSummaryLines(s: ImportSummary): PeriodLine[] {
  const lines: PeriodLine[] = [
    { label: 'files read', text: formatCount(s.filesRead) },
    { label: 'files skipped', text: named(s.filesSkipped, s.skippedFiles) },
    { label: 'paths not read', text: named(s.pathsNotRead, s.unreadablePaths) },
    { label: 'lines read', text: formatCount(s.linesRead) },
    { label: 'events stored', text: formatCount(s.eventsStored) },
    { label: 'invalid lines', text: formatCount(s.invalidLines) },
  ];
  for (const r of s.invalidByReason) {
    lines.push({ label: '', text: `${r.reason}: ${formatCount(r.count)}, first at byte ${r.offset} of ${r.file}: ${JSON.stringify(r.sample)}` });
  }
  lines.push({ label: 'past retention', text: formatCount(s.pastRetention) });
  const range = s.firstEventMs === undefined || s.lastEventMs === undefined ? 'no events' : `${isoSeconds(s.firstEventMs)} .. ${isoSeconds(s.lastEventMs)}`;
  lines.push({ label: 'event times', text: range });
  lines.push({ label: 'store', text: s.store });
  const perSecond = s.elapsedMs > 0 ? Math.round((s.linesRead * 1000) / s.elapsedMs) : 0;
  lines.push({ label: 'elapsed', text: `${formatElapsed(s.elapsedMs)}, ${formatCount(perSecond)} lines/s` });
  return lines;
}

/** The plain text of the summary: a header line, then the aligned lines. */
export function importSummaryBlock(s: ImportSummary): string {
  const lines = ['--- import summary ---'];
  for (const { label, text } of importSummaryLines(s)) lines.push(`${label.padEnd(SUMMARY_LABEL_WIDTH)}${text}`.trimEnd());
  return `${lines.join('\n')}\n`;
}
