import type { Event } from '../../src/model/event.js';

let nextId = 1n;

/** An access-log event as a parser would produce it from a combined-format nginx line. */
export function httpEvent(fields: Partial<Event> & { source: string; path: string; section: string }): Event {
  return {
    kind: 'http',
    ts: Date.UTC(2018, 4, 9, 16, 0, 39),
    vhost: '',
    client: '203.0.113.7',
    user: '',
    method: 'GET',
    status: 200,
    protocol: 'HTTP/1.1',
    bytes: 1234,
    referer: '-',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    direction: '',
    durationMs: 12,
    eventId: nextId++,
    receivedAt: Date.now(),
    file: '/var/log/nginx/access.log',
    offset: 0,
    raw: '',
    ...fields,
  };
}

/** An SFTPGo transfer event (sender Upload or Download). */
export function transferEvent(fields: Partial<Event> & { source: string; direction: 'upload' | 'download' }): Event {
  return {
    kind: 'transfer',
    ts: Date.UTC(2024, 2, 1, 10, 0, 0),
    vhost: '',
    client: '198.51.100.23',
    user: 'alice',
    method: '',
    path: '/reports/2024-02.csv',
    section: '',
    status: 0,
    protocol: 'SFTP',
    bytes: 10_485_760,
    referer: '',
    userAgent: '',
    durationMs: 840,
    eventId: nextId++,
    receivedAt: Date.now(),
    file: '/var/log/sftpgo/transfers.log',
    offset: 0,
    raw: '',
    ...fields,
  };
}
