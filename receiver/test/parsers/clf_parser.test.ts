import { describe, expect, it } from 'vitest';
import { createParser } from '../../src/parsers/index.js';
import { fieldsOf, fixtureLines, httpFields, parseAll } from './fixture_lines.js';

describe('CLF parser on an Apache access log', () => {
  const tally = parseAll(createParser('clf'), fixtureLines('apache_clf.log'));

  it('counts events and invalid lines exactly', () => {
    expect(tally.events).toHaveLength(5);
    expect(tally.skips).toBe(0);
    expect(tally.invalid).toEqual(['bad timestamp', 'no bytes']);
  });

  it('honours the +0530 zone: 16:00:39 local is 10:30:39 UTC', () => {
    expect(fieldsOf(tally.results[0])).toEqual(
      httpFields({
        ts: Date.parse('2018-05-09T10:30:39Z'),
        client: '127.0.0.1',
        user: 'james',
        method: 'GET',
        path: '/report',
        section: '/report',
        status: 200,
        protocol: 'HTTP/1.0',
        bytes: 123,
      }),
    );
  });

  it('reads a 404 with "-" bytes and an anonymous user', () => {
    expect(fieldsOf(tally.results[4])).toMatchObject({ user: '', section: '/report', status: 404, bytes: 0, protocol: 'HTTP/1.1' });
  });

  it('reads the first fields of a combined line and ignores the rest', () => {
    const line = '10.0.0.1 - - [09/May/2018:16:00:39 -0100] "GET /x/y HTTP/1.1" 200 5 "-" "curl/8.5.0"';
    expect(fieldsOf(createParser('clf').parse(line))).toMatchObject({
      ts: Date.parse('2018-05-09T17:00:39Z'),
      section: '/x',
      bytes: 5,
      userAgent: '',
    });
  });

  it('rejects an out-of-range status and non-numeric bytes', () => {
    const parser = createParser('clf');
    expect(parser.parse('10.0.0.1 - - [09/May/2018:16:00:39 +0000] "GET / HTTP/1.1" 099 5')).toEqual({ kind: 'invalid', reason: 'bad status' });
    expect(parser.parse('10.0.0.1 - - [09/May/2018:16:00:39 +0000] "GET / HTTP/1.1" 200 5k')).toEqual({ kind: 'invalid', reason: 'bad bytes' });
  });
});
