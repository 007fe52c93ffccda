import type { Event } from '../model/event.js';
import { NO_PATH_SECTION, pathSectionEnd, sectionOf } from './section.js';

/** The fields of an event that a request line (`GET /report HTTP/1.0`) gives. */
export type RequestFields = Pick<Event, 'method' | 'path' | 'section' | 'protocol'>;

/**
 * Reads the request line `text[start, end)` into `into` (method, path as the target, section,
 * protocol) and returns where the target starts in `text`, or -1 when the request has none.
 *
 * Every request field a server logged is a request it answered, so nothing here is refused:
 * - `METHOD target [HTTP/x]` fills all three (`GET /` of HTTP/0.9 has no protocol; a target with
 *   spaces in it is kept whole when the line ends with an `HTTP/` protocol); a target that is not a
 *   path (`CONNECT host:443`, `PRI *`, `GET stager`) gets NO_PATH_SECTION;
 * - anything else (`-` or nothing, as nginx logs a connection closed before its request; raw bytes
 *   of a TLS handshake sent to an HTTP port; a single word such as `MGLNDD_...`) leaves method, path
 *   and protocol empty, with NO_PATH_SECTION.
 * The method is kept as logged.
 *
 * `into` is the line's new event rather than an object of its own: one allocation less per line,
 * and storing into a young object costs no write barrier (a long-lived one measured slower).
 */
export function readRequestLine(text: string, start: number, end: number, into: RequestFields): number {
  let method = commonMethod(text, start);
  let methodEnd = start + method.length;
  if (method === '') {
    methodEnd = text.indexOf(' ', start);
    if (methodEnd <= start || methodEnd >= end - 1) return noRequest(into);
    for (let i = start; i < methodEnd; i++) {
      if (!isMethodChar(text.charCodeAt(i))) return noRequest(into);
    }
    method = text.slice(start, methodEnd);
  } else if (methodEnd >= end - 1) {
    return noRequest(into);
  }
  let targetEnd = end;
  let protocol = commonProtocol(text, methodEnd, end);
  if (protocol !== '') {
    targetEnd = end - 9;
  } else {
    const lastSpace = protocolSpace(text, end);
    if (lastSpace > methodEnd && isHttpPrefix(text, lastSpace + 1)) {
      targetEnd = lastSpace;
      protocol = knownProtocol(text, lastSpace + 1, end);
    }
  }
  const targetStart = methodEnd + 1;
  const target = text.slice(targetStart, targetEnd);
  // A path (nearly every target) has its section read from `text`, a flat string, rather than from
  // the slice; the section is the target itself when the path has one segment.
  let section: string;
  if (targetStart < targetEnd && text.charCodeAt(targetStart) === SLASH) {
    const sectionEnd = pathSectionEnd(text, targetStart, targetEnd);
    section = sectionEnd === targetEnd ? target : text.slice(targetStart, sectionEnd);
  } else {
    section = sectionOf(target);
    if (section === '') section = NO_PATH_SECTION;
  }
  into.method = method;
  into.path = target;
  into.section = section;
  into.protocol = protocol;
  return target === '' ? -1 : targetStart;
}

/** A request field with no method and target: everything but the section stays empty. */
function noRequest(into: RequestFields): number {
  into.section = NO_PATH_SECTION;
  return -1;
}

/**
 * `GET` or `POST` followed by a space at `start` (most requests), else ''. Returning a literal
 * spares both the search for the space and a copy of the method.
 */
function commonMethod(text: string, start: number): string {
  const first = text.charCodeAt(start);
  if (first === 71 && text.charCodeAt(start + 3) === SPACE && text.charCodeAt(start + 1) === 69 && text.charCodeAt(start + 2) === 84) return 'GET';
  if (first === 80 && text.charCodeAt(start + 4) === SPACE && text.charCodeAt(start + 1) === 79 && text.charCodeAt(start + 2) === 83 && text.charCodeAt(start + 3) === 84) return 'POST';
  return '';
}

/**
 * ` HTTP/1.1`, ` HTTP/1.0` or ` HTTP/2.0` ending the request line (nearly every request) as a
 * literal, else ''. Those nine characters hold no space after the first, so no search for the last
 * space is needed.
 */
function commonProtocol(text: string, methodEnd: number, end: number): string {
  const space = end - 9;
  if (space <= methodEnd || text.charCodeAt(space) !== SPACE || !isHttpPrefix(text, space + 1)) return '';
  if (text.charCodeAt(end - 2) !== 46) return '';
  const major = text.charCodeAt(end - 3);
  const minor = text.charCodeAt(end - 1);
  if (major === 49) return minor === 49 ? 'HTTP/1.1' : minor === 48 ? 'HTTP/1.0' : '';
  return major === 50 && minor === 48 ? 'HTTP/2.0' : '';
}

const SPACE = 32;
const SLASH = 47;

/**
 * The space before the protocol: checked where `HTTP/1.1` (or `HTTP/2`) would put it first, as
 * lastIndexOf costs a call into the runtime on every line.
 */
function protocolSpace(text: string, end: number): number {
  if (isLastSpace(text, end - 9, end)) return end - 9;
  if (isLastSpace(text, end - 7, end)) return end - 7;
  return text.lastIndexOf(' ', end - 1);
}

function isLastSpace(text: string, at: number, end: number): boolean {
  if (text.charCodeAt(at) !== SPACE) return false;
  for (let i = at + 1; i < end; i++) {
    if (text.charCodeAt(i) === SPACE) return false;
  }
  return true;
}

/** Letters, digits, '-' and '_': the token characters methods use in practice. */
function isMethodChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

/** `text` holds `HTTP/` at `at`. */
function isHttpPrefix(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 72 &&
    text.charCodeAt(at + 1) === 84 &&
    text.charCodeAt(at + 2) === 84 &&
    text.charCodeAt(at + 3) === 80 &&
    text.charCodeAt(at + 4) === 47
  );
}

/**
 * The protocol `text[start, end)`, which starts with `HTTP/`. Short slices are copied by V8:
 * returning a literal for the common values saves an allocation per line.
 */
function knownProtocol(text: string, start: number, end: number): string {
  if (end - start === 8 && text.charCodeAt(start + 5) === 49 && text.charCodeAt(start + 6) === 46) {
    const minor = text.charCodeAt(start + 7);
    if (minor === 49) return 'HTTP/1.1';
    if (minor === 48) return 'HTTP/1.0';
  }
  return text.slice(start, end);
}
