import { readFileSync } from 'node:fs';
import { createParser } from '../../src/parsers/index.js';
import type { LogFormat } from '../../src/parsers/index.js';
import type { Event } from '../../src/model/event.js';
import { eventIdAt, fileKey } from '../../src/pipeline/event_id.js';

const FIXTURES = new URL('../fixtures/grafana/', import.meta.url).pathname;

const DAY_MS = 86_400_000;

/**
 * The fixture logs were written on 2024-03-01 and 02. Their events are moved by whole days so that
 * the first day is the day before yesterday (UTC): recent enough for the table's retention TTL,
 * with the hours of day as written.
 */
export const FIXTURE_SHIFT_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS - Date.UTC(2024, 2, 1);

/** The UTC midnight starting fixture day `n` (0: the log's 2024-03-01), shifted. */
export function fixtureDay(n: number): number {
  return Date.UTC(2024, 2, 1) + FIXTURE_SHIFT_MS + n * DAY_MS;
}

/** When the fixture lines were "read": a little after the last of them, so every lag is positive. */
export const FIXTURE_RECEIVED_AT = Date.UTC(2024, 2, 2, 9, 0, 0) + FIXTURE_SHIFT_MS;

/**
 * The events of a fixture log as the pipeline would produce them: parsed by the real parser of
 * `format`, identified by (file, offset), from `source`, moved by FIXTURE_SHIFT_MS. Skipped lines
 * (SFTPGo logins) are left out. `vhost` is the virtual host of a log written per server block
 * (nginx `access_log` inside a `server {}`), for the lines whose parser gives none.
 */
export function fixtureEvents(name: string, format: LogFormat, source: string, vhost = ''): Event[] {
  const path = FIXTURES + name;
  const text = readFileSync(path, 'utf8');
  const parser = createParser(format);
  const key = fileKey(`fixture:${name}`);
  const events: Event[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineOffset = offset;
    offset += Buffer.byteLength(line) + 1;
    if (line === '') continue;
    const result = parser.parse(line);
    if (result.kind === 'invalid') throw new Error(`fixture ${name} at byte ${lineOffset}: ${result.reason}`);
    if (result.kind === 'skip') continue;
    events.push({
      ...result.fields,
      vhost: result.fields.vhost === '' ? vhost : result.fields.vhost,
      ts: result.fields.ts + FIXTURE_SHIFT_MS,
      eventId: eventIdAt(key, lineOffset),
      receivedAt: FIXTURE_RECEIVED_AT,
      source,
      file: `/var/log/${name}`,
      offset: lineOffset,
      raw: line,
    });
  }
  return events;
}

/** The shop's nginx log (request times, crawlers, referrers) from `web-2`, virtual host shop.example.com. */
export function siteFixtureEvents(): Event[] {
  return fixtureEvents('site.log', 'combined', 'web-2', 'shop.example.com');
}

/** Both fixture logs: an nginx access log from `web-1` and an SFTPGo log from `sftp-1`. */
export function allFixtureEvents(): Event[] {
  return [...fixtureEvents('access.log', 'combined', 'web-1'), ...fixtureEvents('sftpgo.log', 'sftpgo', 'sftp-1')];
}
