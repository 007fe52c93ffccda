/**
 * Calendar arithmetic shared by the parsers: validated civil time to epoch milliseconds, and the
 * character-level digit readers the hand-written parsers use.
 */

/** Epoch ms of a UTC civil time, or NaN when a field is out of range (31 February, hour 24...). */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  if (year < 1970 || year > 9999 || month < 1 || month > 12) return NaN;
  if (day < 1 || day > daysInMonth(year, month)) return NaN;
  // 60 is a leap second, which some servers do log; Date.UTC rolls it into the next minute.
  if (hour > 23 || minute > 59 || second > 60 || millis > 999) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The value of the `count` decimal digits at `start`, or -1 if any is not a digit. */
export function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The non-negative integer spelled by `text[start, end)`, or -1 when that range is empty, holds
 * anything but digits, or exceeds 2^53. Leading zeros are fine (`0549573862`).
 */
export function readUnsigned(text: string, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : -1;
}

/**
 * Milliseconds of a fraction of a second written as the digits `text[start, end)`, truncated
 * (".5" → 500, ".0345" → 34); -1 when a character is not a digit.
 */
export function fractionMillis(text: string, start: number, end: number): number {
  let millis = 0;
  let scale = 100;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    millis += d * scale;
    scale = scale >= 10 ? scale / 10 : 0;
  }
  return millis;
}
