import { ConfigError } from './config_error.js';
import type { OptionSpec } from './options.js';
import { redactUrl } from './redact_url.js';

/** Where a value came from, for error messages: `--threshold`, `LOGPULSE_THRESHOLD_RPS`, `config.yaml: threshold_rps`. */
export type ValueOrigin = string;

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

function fail(origin: ValueOrigin, spec: OptionSpec, raw: unknown): never {
  const seen = typeof raw === 'string' ? JSON.stringify(raw) : String(JSON.stringify(raw) ?? raw);
  throw new ConfigError(`${origin}: expected ${spec.expect}, got ${redactUrl(seen)}`);
}

function inRange(spec: OptionSpec, n: number): boolean {
  return (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
}

function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw.trim());
  return Number.NaN;
}

/** Reads one raw value (a string from env or flags, any YAML value from the file) as the option's type. */
export function readValue(spec: OptionSpec, raw: unknown, origin: ValueOrigin): unknown {
  if (raw === true && spec.whenFlagAlone !== undefined) return spec.whenFlagAlone;
  switch (spec.kind) {
    case 'string': {
      if (typeof raw !== 'string' && typeof raw !== 'number') fail(origin, spec, raw);
      return String(raw);
    }
    case 'paths':
    case 'list': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
      if (!list || list.some((p) => typeof p !== 'string' || p.trim() === '')) fail(origin, spec, raw);
      return list.map((p) => String(p).trim());
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      return fail(origin, spec, raw);
    }
    case 'integer':
    case 'port': {
      const n = toNumber(raw);
      const ok = Number.isInteger(n) && (spec.kind === 'port' ? n >= 0 && n <= 65_535 : inRange(spec, n));
      if (!ok) fail(origin, spec, raw);
      return n;
    }
    case 'positive': {
      const n = toNumber(raw);
      if (!Number.isFinite(n) || n <= 0) fail(origin, spec, raw);
      return n;
    }
    case 'duration': {
      const match = typeof raw === 'number' ? [String(raw), String(raw), 's'] : DURATION.exec(String(raw).trim());
      const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1) : Number.NaN;
      if (!Number.isFinite(seconds) || !inRange(spec, seconds)) fail(origin, spec, raw);
      return seconds;
    }
    case 'minutes': {
      // A bare number is minutes (`5`, `0.5`); a unit makes it a duration (`30s`, `2m`, `1h`).
      const text = typeof raw === 'number' ? String(raw) : String(raw).trim();
      const match = DURATION.exec(text);
      const minutes = match ? (match[2] === undefined ? Number(match[1]) : (Number(match[1]) * (UNIT_SECONDS[match[2]] ?? 1)) / 60) : Number.NaN;
      if (!Number.isFinite(minutes) || minutes <= 0) fail(origin, spec, raw);
      return minutes;
    }
    case 'enum': {
      const text = String(raw).trim();
      if (!spec.choices?.includes(text)) fail(origin, spec, raw);
      return text;
    }
  }
}
