import { describe, expect, it } from 'vitest';
import { orderOldestFirst, rotationName } from '../../src/sources/rotation_order.js';

const DAY = 86_400_000;

/** Files with the modification times a server leaves: each rotated copy last written when rotated. */
function files(names: readonly string[], mtimeOf: (name: string, index: number) => number = (_n, i) => i * DAY): Array<{ path: string; mtimeMs: number }> {
  return names.map((name, i) => ({ path: `/var/log/nginx/${name}`, mtimeMs: mtimeOf(name, i) }));
}

function order(list: Array<{ path: string; mtimeMs: number }>): string[] {
  return orderOldestFirst(list, (f) => f).map((f) => f.path.slice(f.path.lastIndexOf('/') + 1));
}

describe('rotation order', () => {
  it("reads logrotate's numbered and gzip copies oldest first and the log itself last, whatever the listing order", () => {
    // The order a directory listing gives: lexical, .10.gz between .1 and .2.gz.
    const listed = ['access.log', 'access.log.1', 'access.log.10.gz', 'access.log.2.gz', 'access.log.3.gz', 'access.log.9.gz'];
    const expected = ['access.log.10.gz', 'access.log.9.gz', 'access.log.3.gz', 'access.log.2.gz', 'access.log.1', 'access.log'];
    // Modification times that would put them the other way round: names win over mtimes.
    expect(order(files(listed))).toEqual(expected);
    expect(order(files([...listed].reverse()))).toEqual(expected);
  });

  it("reads logrotate's dateext copies by their date, compressed or not", () => {
    const listed = ['access.log', 'access.log-20240307', 'access.log-20240305.gz', 'access.log-20240306.gz', 'access.log-2024030418'];
    expect(order(files(listed, () => 0))).toEqual([
      'access.log-2024030418',
      'access.log-20240305.gz',
      'access.log-20240306.gz',
      'access.log-20240307',
      'access.log',
    ]);
  });

  it("reads SFTPGo's dated copies by their date and time, in both of its naming styles", () => {
    const dotted = ['sftpgo.log', 'sftpgo.log.2024-03-06T10-00-00', 'sftpgo.log.2024-03-05T23-59-59', 'sftpgo.log.2024-03-06T09-30-00'];
    expect(order(files(dotted, () => 0))).toEqual([
      'sftpgo.log.2024-03-05T23-59-59',
      'sftpgo.log.2024-03-06T09-30-00',
      'sftpgo.log.2024-03-06T10-00-00',
      'sftpgo.log',
    ]);
    const lumberjack = ['sftpgo.log', 'sftpgo-2024-03-06T10-00-00.000.log', 'sftpgo-2024-03-06T08-15-42.120.log.gz'];
    expect(order(files(lumberjack, () => 0))).toEqual(['sftpgo-2024-03-06T08-15-42.120.log.gz', 'sftpgo-2024-03-06T10-00-00.000.log', 'sftpgo.log']);
    expect(rotationName('/srv/sftpgo-2024-03-06T10-00-00.000.log')).toEqual({ base: '/srv/sftpgo.log', rank: { kind: 'dated', key: '20240306100000000000' } });
  });

  it('orders copies whose names say nothing by modification time', () => {
    const list = [
      { path: '/logs/access.log.gz', mtimeMs: 5 * DAY },
      { path: '/logs/access.log', mtimeMs: 1 * DAY },
      { path: '/logs/access.log.1', mtimeMs: 3 * DAY },
    ];
    // The current log is read last even with an older mtime; the unnumbered .gz after the numbered one.
    expect(order(list)).toEqual(['access.log.1', 'access.log.gz', 'access.log']);
    const twoUnnamed = [
      { path: '/logs/app.log.gz', mtimeMs: 9 * DAY },
      { path: '/logs/app.log.gz.gz', mtimeMs: 2 * DAY },
    ];
    expect(rotationName('/logs/app.log.gz.gz').base).toBe('/logs/app.log.gz');
    expect(order(twoUnnamed)).toEqual(['app.log.gz.gz', 'app.log.gz']);
  });

  it('keeps each set together and starts with the set whose oldest file is oldest', () => {
    const list = [
      { path: '/logs/other_vhosts_access.log', mtimeMs: 10 * DAY },
      { path: '/logs/access.log', mtimeMs: 10 * DAY },
      { path: '/logs/error.log', mtimeMs: 10 * DAY },
      { path: '/logs/access.log.1', mtimeMs: 9 * DAY },
      { path: '/logs/other_vhosts_access.log.1', mtimeMs: 8 * DAY },
      { path: '/logs/other_vhosts_access.log.2.gz', mtimeMs: 7 * DAY },
    ];
    expect(order(list)).toEqual([
      'other_vhosts_access.log.2.gz',
      'other_vhosts_access.log.1',
      'other_vhosts_access.log',
      'access.log.1',
      'access.log',
      'error.log',
    ]);
  });

  it('tells sets apart by folder and does not take a year or a port for a rotation number', () => {
    expect(rotationName('/a/access.log.1')).toEqual({ base: '/a/access.log', rank: { kind: 'numbered', generation: 1 } });
    expect(rotationName('/b/access.log.1').base).not.toBe(rotationName('/a/access.log.1').base);
    expect(rotationName('/a/access.log')).toEqual({ base: '/a/access.log', rank: { kind: 'current' } });
    expect(rotationName('/a/access.log-20240306').rank).toEqual({ kind: 'dated', key: '20240306000000000000' });
    expect(rotationName('/a/access.log.2024-03-06').rank).toEqual({ kind: 'dated', key: '20240306000000000000' });
    // `name.8080.log` is a log of its own, not the 8080th copy of `name`.
    expect(rotationName('/a/site.8080.log')).toEqual({ base: '/a/site.8080.log', rank: { kind: 'current' } });
    // Names that merely contain digits stay logs of their own.
    expect(rotationName('/a/access_2024.log').rank.kind).toBe('current');
  });

  it('gives the same order for the same files in any listing order', () => {
    const names = ['b.log', 'a.log.2.gz', 'a.log', 'b.log.1', 'a.log.1', 'c.log-20240101', 'c.log'];
    const list = files(names, (name) => (name.startsWith('a') ? 1 : name.startsWith('b') ? 2 : 3) * DAY);
    const first = order(list);
    expect(first).toEqual(['a.log.2.gz', 'a.log.1', 'a.log', 'b.log.1', 'b.log', 'c.log-20240101', 'c.log']);
    for (let shift = 1; shift < list.length; shift++) {
      expect(order([...list.slice(shift), ...list.slice(0, shift)])).toEqual(first);
    }
  });
});
