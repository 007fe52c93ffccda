import { fractionMillis, utcMillis } from './civil_time.js';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch ms of an ISO-8601 / RFC 3339 time such as SFTPGo writes: `2024-09-18T03:17:12.034`
 * (no zone: UTC) or `2024-09-18T05:17:12.034+02:00`. NaN when unreadable.
 */
export function parseIsoTimestamp(text: string): number {
  const match = ISO_TIME.exec(text);
  if (match === null) return NaN;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = fraction === undefined ? 0 : fractionMillis(fraction, 0, fraction.length);
  const local = utcMillis(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), millis);
  if (zone === undefined || zone === 'Z' || zone === 'z') return local;
  const zoneHours = Number(zone.slice(1, 3));
  const zoneMinutes = Number(zone.slice(-2));
  if (zoneHours > 14 || zoneMinutes > 59) return NaN;
  const offsetMillis = (zoneHours * 60 + zoneMinutes) * 60_000;
  return zone.startsWith('+') ? local - offsetMillis : local + offsetMillis;
}

const LEGACY_SFTPGO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})\.(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * Epoch ms of the time layout SFTPGo wrote before November 2019, `2020-03-29T19:54.44.096`
 * (Go layout `2006-01-02T15:04.05.000`: a dot between minutes and seconds, no zone: UTC, as the
 * current layout without a zone). NaN when unreadable.
 */
export function parseLegacySftpgoTimestamp(text: string): number {
  const match = LEGACY_SFTPGO_TIME.exec(text);
  if (match === null) return NaN;
  const [, year, month, day, hour, minute, second, fraction] = match;
  const millis = fraction === undefined ? 0 : fractionMillis(fraction, 0, fraction.length);
  return utcMillis(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), millis);
}
