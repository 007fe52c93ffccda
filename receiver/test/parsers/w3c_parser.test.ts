import { describe, expect, it } from 'vitest';
import { createParser } from '../../src/parsers/index.js';
import { fieldsOf, fixtureLines, httpFields, parseAll } from './fixture_lines.js';

describe('W3C parser on an IIS log whose #Fields change mid-file', () => {
  const tally = parseAll(createParser('w3c'), fixtureLines('iis_w3c.log'));

  it('counts events, directives and invalid lines exactly', () => {
    expect(tally.events).toHaveLength(5);
    expect(tally.skips).toBe(8);
    expect(tally.invalid).toEqual(['column count', 'bad timestamp']);
  });

  it('reads a line of the first header: + in the user agent is a space, - is empty', () => {
    expect(fieldsOf(tally.results[4])).toEqual(
      httpFields({
        ts: Date.parse('2024-09-18T00:00:01Z'),
        client: '192.0.2.10',
        method: 'GET',
        path: '/default.aspx',
        section: '/default.aspx',
        status: 200,
        bytes: 5120,
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
        durationMs: 15,
      }),
    );
  });

  it('joins stem and query into the path and reads user, IPv6 client and referer', () => {
    expect(fieldsOf(tally.results[5])).toMatchObject({
      client: '2001:db8::2',
      user: 'CONTOSO\\jdoe',
      method: 'POST',
      path: '/api/orders/42?id=7&x=1',
      section: '/api',
      status: 201,
      bytes: 312,
      referer: 'https://shop.example.com/cart',
      durationMs: 120,
    });
    expect(fieldsOf(tally.results[6])).toMatchObject({ status: 304, bytes: 0, userAgent: '', durationMs: 0 });
  });

  it('reads lines after the second #Fields with the new column order', () => {
    expect(fieldsOf(tally.results[12])).toEqual(
      httpFields({
        ts: Date.parse('2024-09-18T00:05:01Z'),
        client: '192.0.2.13',
        method: 'GET',
        path: '/reports/monthly?year=2024',
        section: '/reports',
        status: 200,
        protocol: 'HTTP/1.1',
        bytes: 20480,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6)',
        durationMs: 250,
      }),
    );
    expect(fieldsOf(tally.results[13])).toMatchObject({ status: 500, protocol: 'HTTP/2', durationMs: 3 });
  });
});

describe('W3C parser without a usable header', () => {
  it('reads lines before any #Fields when they have the column count of an IIS default set', () => {
    const parser = createParser('w3c');
    const line = '2024-09-18 00:00:01 10.0.0.5 GET /a/b - 443 - 192.0.2.10 - - 200 0 0 17';
    expect(fieldsOf(parser.parse(line))).toMatchObject({ section: '/a', status: 200, durationMs: 17, bytes: 0 });
    expect(parser.parse('2024-09-18 00:00:01 GET /a 200')).toEqual({ kind: 'invalid', reason: 'no #Fields header' });
  });

  it('uses the #Date directive when lines have no date column, with milliseconds in the time', () => {
    const parser = createParser('w3c');
    expect(parser.parse('#Date: 2024-09-18 00:00:00')).toEqual({ kind: 'skip' });
    expect(parser.parse('#Fields: time c-ip cs-method cs-uri-stem sc-status')).toEqual({ kind: 'skip' });
    expect(fieldsOf(parser.parse('12:30:05.250 192.0.2.1 GET / 200'))).toMatchObject({ ts: Date.parse('2024-09-18T12:30:05.250Z'), section: '/' });
  });

  it('rejects every line under a #Fields that lacks sc-status', () => {
    const parser = createParser('w3c');
    parser.parse('#Fields: date time cs-uri-stem');
    expect(parser.parse('2024-09-18 00:00:01 /a')).toEqual({ kind: 'invalid', reason: '#Fields lacks sc-status' });
  });
});
