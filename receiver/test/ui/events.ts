import type { Event } from '../../src/model/event.js';

/** 2026-11-22T10:00:00Z in ms: the start of the periods in these tests. */
export const START_MS = Date.UTC(2026, 10, 22, 10, 0, 0);

let nextId = 1n;

function base(): Omit<Event, 'kind' | 'direction'> {
  const id = nextId++;
  return {
    ts: START_MS + 1500,
    vhost: '',
    client: '203.0.113.7',
    user: '',
    method: 'GET',
    path: '/',
    section: '/',
    status: 200,
    protocol: 'HTTP/1.1',
    bytes: 0,
    referer: '-',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    durationMs: 0,
    eventId: id,
    receivedAt: START_MS + 1600,
    source: 'web-1',
    file: '/var/log/nginx/access.log',
    offset: Number(id) * 120,
    raw: '',
  };
}

/** An access-log request as the combined-format parser gives it. */
export function request(path: string, section: string, status: number, bytes: number, fields: Partial<Event> = {}): Event {
  return { ...base(), kind: 'http', direction: '', path, section, status, bytes, ...fields };
}

/** An SFTPGo Upload or Download line as the SFTPGo parser gives it. */
export function transfer(direction: 'upload' | 'download', user: string, bytes: number, fields: Partial<Event> = {}): Event {
  return {
    ...base(),
    kind: 'transfer',
    direction,
    user,
    bytes,
    client: '198.51.100.23',
    method: '',
    path: `/home/${user}/reports/2026-11.csv`,
    section: '',
    status: 0,
    protocol: 'SFTP',
    source: 'sftp-1',
    file: '/var/log/sftpgo/sftpgo.log',
    ...fields,
  };
}
