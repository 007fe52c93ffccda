import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatPercent, formatRate, formatSpan, progressBar } from '../../src/ui/index.js';

describe('human formats', () => {
  it('writes byte counts in decimal units with one decimal', () => {
    expect([0, 999, 1000, 1234, 99_949, 99_950, 1_250_000, 10_485_760, 999_999_999, 3.2e12].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '1.2 kB',
      '99.9 kB',
      '100 kB',
      '1.3 MB',
      '10.5 MB',
      '1.0 GB',
      '3.2 TB',
    ]);
  });

  it('writes rates, counts and percentages', () => {
    expect(formatRate(12.345)).toBe('12.3 req/s');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(5, 0)).toBe('100%');
  });

  it('writes a period span in UTC, with the end date only when it differs', () => {
    const start = Date.UTC(2026, 10, 22, 23, 59, 55);
    expect(formatSpan(start, start + 5000)).toBe('2026-11-22 23:59:55 - 2026-11-23 00:00:00 UTC');
    expect(formatSpan(start - 5000, start)).toBe('2026-11-22 23:59:50 - 23:59:55 UTC');
  });

  it('draws the catch-up bar in proportion to the bytes read', () => {
    expect(progressBar({ bytesRead: 250, bytesTotal: 1000 }, 8)).toBe('[##------]  25%  250 B of 1.0 kB');
    expect(progressBar({ bytesRead: 0, bytesTotal: 0 }, 4, '█', '░')).toBe('[████] 100%  0 B of 0 B');
  });
});
