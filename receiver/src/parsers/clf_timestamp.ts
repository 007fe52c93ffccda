import { readDigits, utcMillis } from './civil_time.js';

/**
 * The `[09/May/2018:16:00:39 +0530]` timestamp of CLF and combined logs, as epoch milliseconds UTC.
 *
 * A busy server writes the same second on many consecutive lines, so each parser keeps the last
 * text it read and its value: a repeat costs one search that matches where it starts, and
 * allocates nothing.
 */
export class ClfTimestampCache {
  private lastText = '';
  private lastMillis = NaN;

  /** Epoch ms of the timestamp in `line[start, end)` (between the brackets), NaN when unreadable. */
  parse(line: string, start: number, end: number): number {
    const last = this.lastText;
    // indexOf runs as one native search (memchr/memcmp): measured faster than a slice and a string
    // comparison, and three times as fast as startsWith or a charCodeAt loop over the 26 characters.
    if (end - start === last.length && line.indexOf(last, start) === start) return this.lastMillis;
    const millis = parseClfTimestamp(line, start, end);
    if (!Number.isNaN(millis)) {
      this.lastText = line.slice(start, end);
      this.lastMillis = millis;
    }
    return millis;
  }
}

/**
 * Reads `dd/Mon/yyyy:HH:MM:SS +hhmm` (26 characters) from `line[start, end)`. The zone may be
 * missing (20 characters), which is read as UTC.
 */
export function parseClfTimestamp(line: string, start: number, end: number): number {
  const length = end - start;
  if (length !== 26 && length !== 20) return NaN;
  const s = start;
  if (line.charCodeAt(s + 2) !== SLASH || line.charCodeAt(s + 6) !== SLASH) return NaN;
  if (line.charCodeAt(s + 11) !== COLON || line.charCodeAt(s + 14) !== COLON || line.charCodeAt(s + 17) !== COLON) return NaN;
  const day = readDigits(line, s, 2);
  const month = monthNumber(line, s + 3);
  const year = readDigits(line, s + 7, 4);
  const hour = readDigits(line, s + 12, 2);
  const minute = readDigits(line, s + 15, 2);
  const second = readDigits(line, s + 18, 2);
  if (day < 0 || month < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) return NaN;
  const local = utcMillis(year, month, day, hour, minute, second, 0);
  if (length === 20) return local;
  if (line.charCodeAt(s + 20) !== SPACE) return NaN;
  const sign = line.charCodeAt(s + 21);
  const zoneHours = readDigits(line, s + 22, 2);
  const zoneMinutes = readDigits(line, s + 24, 2);
  if ((sign !== PLUS && sign !== MINUS) || zoneHours < 0 || zoneHours > 14 || zoneMinutes < 0 || zoneMinutes > 59) return NaN;
  const offsetMillis = (zoneHours * 60 + zoneMinutes) * 60_000;
  // Local time = UTC + offset, so UTC = local - offset.
  return sign === PLUS ? local - offsetMillis : local + offsetMillis;
}

const SLASH = 47;
const COLON = 58;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 1-12 for the English month abbreviation at `at` (as strftime's %b writes it), -1 otherwise. */
function monthNumber(line: string, at: number): number {
  for (let i = 0; i < 12; i++) {
    if (line.startsWith(MONTHS[i] as string, at)) return i + 1;
  }
  return -1;
}
