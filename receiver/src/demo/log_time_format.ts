/**
 * Timestamp text of the two demo formats, always UTC. Formatting a date costs more than building
 * the rest of a line, and consecutive lines share their second, so each formatter keeps the text
 * of the last second it formatted.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/** nginx / Apache `$time_local` in UTC: `22/Nov/2026:10:00:00 +0000`. */
export class ClfTimeFormatter {
  private cachedSecond = Number.NaN;
  private cachedText = '';

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.cachedSecond) {
      const d = new Date(second * 1000);
      this.cachedText =
        `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
        `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
      this.cachedSecond = second;
    }
    return this.cachedText;
  }
}

/**
 * SFTPGo's zerolog time field with `log_utc_time` on: `2026-11-22T10:00:00.123`, milliseconds and
 * no zone designator (SFTPGo's own layout, "2006-01-02T15:04:05.000").
 */
export class SftpgoTimeFormatter {
  private cachedSecond = Number.NaN;
  private cachedPrefix = '';

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.cachedSecond) {
      // toISOString gives `2026-11-22T10:00:00.000Z`; keep up to and including the dot.
      this.cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
      this.cachedSecond = second;
    }
    return this.cachedPrefix + pad3(Math.floor(epochMs) - second * 1000);
  }
}
