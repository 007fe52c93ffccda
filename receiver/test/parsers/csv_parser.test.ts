import { describe, expect, it } from 'vitest';
import { createParser } from '../../src/parsers/index.js';
import { fieldsOf, fixtureLines, httpFields, parseAll } from './fixture_lines.js';

describe('CSV parser', () => {
  it('skips the header and reads every row of the sample, leading-zero date included', () => {
    const tally = parseAll(createParser('csv'), fixtureLines('small_sample_csv.txt'));
    expect(tally.skips).toBe(1);
    expect(tally.invalid).toEqual([]);
    expect(tally.events).toHaveLength(5);
    expect(tally.events[0]).toEqual(
      httpFields({
        ts: 549_573_862_000,
        client: '10.0.0.1',
        user: 'apache',
        method: 'GET',
        path: '/report',
        section: '/report',
        status: 500,
        protocol: 'HTTP/1.0',
        bytes: 1194,
      }),
    );
    expect(tally.events[4]).toMatchObject({ ts: 1_549_773_860_000, client: '10.0.0.2', section: '/api', path: '/api/help' });
  });

  it('keeps a request without a path as a hit, and rejects a bad date and a missing column of the malformed sample', () => {
    const tally = parseAll(createParser('csv'), fixtureLines('malformed.csv'));
    expect(tally.events).toHaveLength(2);
    expect(tally.events[0]).toMatchObject({ ts: 1_549_573_860_000, section: '/api' });
    expect(tally.events[1]).toMatchObject({ method: 'GET', path: 'malformed-section', section: '(no path)', protocol: 'HTTP/1.0' });
    expect(tally.invalid).toEqual(['bad timestamp', 'column count']);
  });

  it('unescapes doubled quotes and follows a reordered header', () => {
    const parser = createParser('csv');
    expect(parser.parse('"date","remotehost","request","status","bytes","authuser","rfc931"')).toEqual({ kind: 'skip' });
    const row = '1549573860,"2001:db8::7","GET /q?s=""x"" HTTP/1.1",404,-,"-","-"';
    expect(fieldsOf(parser.parse(row))).toMatchObject({ client: '2001:db8::7', user: '', path: '/q?s="x"', section: '/q', status: 404, bytes: 0 });
  });

  it('rejects an unterminated quote and keeps an empty request as a hit without a path', () => {
    const parser = createParser('csv');
    expect(parser.parse('"10.0.0.2","-","apache",1549573860,"GET /api')).toEqual({ kind: 'invalid', reason: 'unterminated quote' });
    expect(fieldsOf(parser.parse('"10.0.0.2","-","apache",1549573860,"-",400,0'))).toMatchObject({ method: '', path: '', section: '(no path)', status: 400 });
  });
});
