import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger, LoggerOptions } from 'pino';
import { redactUrl } from '../config/redact_url.js';

/** Every string of a log record through redactUrl: fields and errors can quote a URL or a password. */
function redacted(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (value instanceof Error) return redactUrl(value.message);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redacted(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redacted(item, depth + 1)]));
}

const OPTIONS: Pick<LoggerOptions, 'formatters' | 'hooks'> = {
  formatters: { log: (object) => redacted(object) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((arg) => redacted(arg)) as Parameters<typeof method>);
    },
  },
};

/**
 * The receiver's own log: JSON lines (pino) on stderr, or, while the terminal view redraws the
 * screen, appended to `<dataDir>/logpulse.log` so that log lines do not tear the view apart.
 * No password reaches it (redact_url.ts).
 */
export function createLogger(level: string, toFile?: string): Logger {
  if (toFile) {
    mkdirSync(path.dirname(toFile), { recursive: true });
    return pino({ level, base: { service: 'logpulse' }, ...OPTIONS }, pino.destination({ dest: toFile, append: true, sync: true, mkdir: true }));
  }
  return pino({ level, base: { service: 'logpulse' }, ...OPTIONS }, pino.destination({ fd: 2, sync: true }));
}
