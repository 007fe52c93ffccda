/**
 * The section of a request target: its path up to the second '/'.
 *
 *   /pages/create                  → /pages
 *   /pages, /pages/                → /pages
 *   /, /?q=1                       → /
 *   http://my.site.com/pages/x     → /pages   (absolute URLs: the path part)
 *   http://my.site.com             → /
 *   /a?x=1/2, /a#top/b             → /a       (query and fragment never count)
 *   *                              → (no path)  (OPTIONS * and PRI * HTTP/2.0)
 *
 * Any other target (`malformed-section`, `host:443` of a CONNECT, an empty string) gives ''. The
 * access-log parsers store such requests under NO_PATH_SECTION as well (the server answered them,
 * they are hits); the W3C and CSV parsers reject them as "bad request target".
 */
export function sectionOf(target: string): string {
  const length = target.length;
  if (length === 0) return '';
  const first = target.charCodeAt(0);
  if (first === SLASH) return pathSection(target, 0);
  if (length === 1 && first === STAR) return NO_PATH_SECTION;
  const hostStart = schemeEnd(target);
  if (hostStart < 0) return '';
  for (let i = hostStart; i < length; i++) {
    const c = target.charCodeAt(i);
    if (c === SLASH) return i === hostStart ? '' : pathSection(target, i);
    if (c === QUESTION || c === HASH) return i === hostStart ? '' : '/';
  }
  return length === hostStart ? '' : '/';
}

/**
 * The one section of every request without a path: `CONNECT host:443`, `OPTIONS *`, `PRI *` of an
 * HTTP/2 preface sent to an HTTP/1 port, `GET stager`, an empty request (`"-"`, `""`), raw bytes of
 * a TLS handshake. One fixed label rather than one per target, so that a scanner's junk cannot
 * spread over the `section` label of the metrics or the sections of the dashboards; the request
 * as sent stays in `raw` (and in `path` when it had a target). Never a real section: those all
 * start with '/'.
 */
export const NO_PATH_SECTION = '(no path)';

const SLASH = 47;
const STAR = 42;
const QUESTION = 63;
const HASH = 35;
const COLON = 58;

/** `target.slice(start)` cut at the next '/', '?' or '#' after `start`; '/' alone when that is all. */
function pathSection(target: string, start: number): string {
  const stop = pathSectionEnd(target, start, target.length);
  return start === 0 && stop === target.length ? target : target.slice(start, stop);
}

/**
 * Where the section of the path starting with '/' at `text[start]` ends: at the next '/', '?' or
 * '#', else at `end`. Lets a parser take the section from its line without reading the target.
 */
export function pathSectionEnd(text: string, start: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SLASH || c === QUESTION || c === HASH) break;
    i++;
  }
  return i;
}

/** Index just after `scheme://` when `target` is an absolute URL, else -1. */
function schemeEnd(target: string): number {
  const colon = target.indexOf('://');
  if (colon <= 0 || colon > 16) return -1;
  for (let i = 0; i < colon; i++) {
    const c = target.charCodeAt(i) | 0x20;
    const letter = c >= 97 && c <= 122;
    const other = i > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46);
    if (!letter && !other) return -1;
  }
  return target.charCodeAt(colon) === COLON ? colon + 3 : -1;
}
