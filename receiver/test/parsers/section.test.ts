import { describe, expect, it } from 'vitest';
import { sectionOf } from '../../src/parsers/index.js';

describe('sectionOf', () => {
  it('cuts a path at its second slash', () => {
    expect(sectionOf('/pages/create')).toBe('/pages');
    expect(sectionOf('/pages/create/more')).toBe('/pages');
    expect(sectionOf('/pages/')).toBe('/pages');
  });

  it('keeps a path with one slash whole, and the root as the root', () => {
    expect(sectionOf('/pages')).toBe('/pages');
    expect(sectionOf('/')).toBe('/');
  });

  it('never lets a query string or fragment into the section', () => {
    expect(sectionOf('/a?x=1/2')).toBe('/a');
    expect(sectionOf('/?q=/x')).toBe('/');
    expect(sectionOf('/a#top/b')).toBe('/a');
  });

  it('takes the path part of an absolute URL', () => {
    expect(sectionOf('http://my.site.com/pages/create')).toBe('/pages');
    expect(sectionOf('https://my.site.com:8443/api')).toBe('/api');
    expect(sectionOf('http://my.site.com')).toBe('/');
    expect(sectionOf('http://my.site.com?x=/y')).toBe('/');
  });

  it('gives the asterisk of OPTIONS * and PRI * the fixed section of requests without a path', () => {
    expect(sectionOf('*')).toBe('(no path)');
  });

  it('gives an empty section for targets that are neither a path, a URL nor *', () => {
    expect(sectionOf('malformed-section')).toBe('');
    expect(sectionOf('www.example.com:443')).toBe('');
    expect(sectionOf('')).toBe('');
    expect(sectionOf('http:///nohost')).toBe('');
    expect(sectionOf('**')).toBe('');
  });
});
