import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from 'pino';

/**
 * The receiver's own log: JSON lines (pino) on stderr, or, while the terminal view redraws the
 * screen, appended to `<dataDir>/logpulse.log` so that log lines do not tear the view apart.
 */
export function createLogger(level: string, toFile?: string): Logger {
  if (toFile) {
    mkdirSync(path.dirname(toFile), { recursive: true });
    return pino({ level, base: { service: 'logpulse' } }, pino.destination({ dest: toFile, append: true, sync: true, mkdir: true }));
  }
  return pino({ level, base: { service: 'logpulse' } }, pino.destination({ fd: 2, sync: true }));
}
