import { describe, expect, it } from 'vitest';
import { createParser } from '../../src/parsers/index.js';
import { fieldsOf, fixtureLines, parseAll } from './fixture_lines.js';

describe('SFTPGo parser', () => {
  it('reads the 20 identical Download lines as 20 transfers and skips the debug line', () => {
    const lines = fixtureLines('sftpgo.log');
    expect(lines).toHaveLength(21);
    const tally = parseAll(createParser('sftpgo'), lines);
    expect(tally.events).toHaveLength(20);
    expect(tally.skips).toBe(1);
    expect(tally.invalid).toEqual([]);
    expect(tally.events[19]).toEqual({
      kind: 'transfer',
      ts: Date.parse('2024-09-18T03:17:12.034Z'),
      vhost: '',
      client: '128.153.26.178',
      user: 'backups',
      method: '',
      path: '/srv/sftpgo/data/data_repo/traffic/img/debug/2024-09-17_l/171714_49313.jpg',
      section: '',
      status: 0,
      protocol: 'SFTP',
      bytes: 111_422,
      referer: '',
      userAgent: '',
      direction: 'download',
      durationMs: 877,
    });
  });

  const tally = parseAll(createParser('sftpgo'), fixtureLines('sftpgo_transfers.log'));

  it('counts uploads, downloads, skipped logins and broken lines exactly', () => {
    expect(tally.events.map((event) => event.direction)).toEqual(['upload', 'download', 'upload']);
    expect(tally.skips).toBe(2);
    expect(tally.invalid).toEqual(['bad JSON', 'bad timestamp']);
  });

  it('takes the client from a bracketed IPv6 address without its port', () => {
    expect(fieldsOf(tally.results[1])).toMatchObject({
      client: '2001:db8::50',
      bytes: 10_485_760,
      durationMs: 1523,
      protocol: 'SFTP',
      ts: Date.parse('2024-09-18T03:20:01.500Z'),
    });
  });

  it('reads the older remote_address field and an RFC 3339 time with a zone', () => {
    expect(fieldsOf(tally.results[2])).toMatchObject({
      client: '198.51.100.7',
      user: 'reports',
      path: '/reports/q3.csv',
      protocol: 'SCP',
      ts: Date.parse('2024-09-18T03:20:02Z'),
    });
  });

  it('reads an address without a port and a time without fraction', () => {
    expect(fieldsOf(tally.results[4])).toMatchObject({ client: '192.0.2.60', bytes: 0, protocol: 'FTP', ts: Date.parse('2024-09-18T03:20:03Z') });
  });

  it('rejects JSON that is not an object and sizes that are not numbers', () => {
    const parser = createParser('sftpgo');
    expect(parser.parse('[1,2]')).toEqual({ kind: 'invalid', reason: 'not a JSON object' });
    const line = '{"time":"2024-09-18T03:20:03","sender":"Upload","size_bytes":"12"}';
    expect(parser.parse(line)).toEqual({ kind: 'invalid', reason: 'bad size_bytes' });
  });
});
