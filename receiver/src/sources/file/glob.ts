import { sep } from 'node:path';

const MAGIC = /[*?[]/;

/** True when the path is a pattern (`/var/log/nginx/*.log`) rather than a file or directory. */
export function isGlob(path: string): boolean {
  return MAGIC.test(path);
}

/** The directory a pattern's matches are all under: its leading segments without wildcards. */
export function globBase(pattern: string): string {
  const segments = pattern.split(sep);
  const firstMagic = segments.findIndex((segment) => MAGIC.test(segment));
  const base = segments.slice(0, firstMagic === -1 ? segments.length : firstMagic).join(sep);
  return base === '' ? sep : base;
}

/** How many directory levels below the base a match can be; Infinity with `**`. */
export function globDepth(pattern: string): number {
  const segments = pattern.split(sep);
  const firstMagic = segments.findIndex((segment) => MAGIC.test(segment));
  if (firstMagic === -1) return 0;
  if (segments.slice(firstMagic).includes('**')) return Infinity;
  return segments.length - firstMagic - 1;
}

/**
 * The pattern as a regular expression over whole paths: `*` and `?` stay within one path segment,
 * `**` spans any number of them, `[abc]` and `[!abc]` are character classes.
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
      } else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = close;
      }
    } else {
      out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}
