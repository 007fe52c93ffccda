import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Event, ParsedFields } from '../../src/model/event.js';
import type { LineParser, ParseResult } from '../../src/parsers/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/parsers/', import.meta.url));

/**
 * The lines of a fixture as a tailer hands them over: split at LF, a trailing CR left in place
 * (the parsers strip it), and the last line kept even without its newline.
 */
export function fixtureLines(name: string): string[] {
  const text = readFileSync(FIXTURES + name, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface Tally {
  events: ParsedFields[];
  skips: number;
  invalid: string[];
  results: ParseResult[];
}

/** Parses every line of `lines` in order with `parser`. */
export function parseAll(parser: LineParser, lines: readonly string[]): Tally {
  const tally: Tally = { events: [], skips: 0, invalid: [], results: [] };
  for (const line of lines) {
    const result = parser.parse(line);
    tally.results.push(result);
    if (result.kind === 'event') tally.events.push(parsedPart(result.fields));
    else if (result.kind === 'skip') tally.skips++;
    else tally.invalid.push(result.reason);
  }
  return tally;
}

/** The fields of `result`, failing the test when it is not an event. */
export function fieldsOf(result: ParseResult | undefined): ParsedFields {
  if (result?.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return parsedPart(result.fields);
}

/**
 * What the parser itself read: the event without the identity and origin the pipeline fills in
 * (the parser leaves them blank, `raw` aside), so comparisons name only parsed fields.
 */
function parsedPart(event: Event): ParsedFields {
  const { eventId: _id, receivedAt: _at, source: _source, file: _file, offset: _offset, raw: _raw, pathAt: _pathAt, refererAt: _refererAt, userAgentAt: _userAgentAt, ...fields } = event;
  return fields;
}

/** Fields with the defaults of an HTTP event, for exact comparisons. */
export function httpFields(fields: Partial<ParsedFields>): ParsedFields {
  return {
    kind: 'http',
    ts: 0,
    vhost: '',
    client: '',
    user: '',
    method: '',
    path: '',
    section: '',
    status: 0,
    protocol: '',
    bytes: 0,
    referer: '',
    userAgent: '',
    direction: '',
    durationMs: 0,
    ...fields,
  };
}

/** Fields with the defaults of a transfer event, for exact comparisons. */
export function transferFields(fields: Partial<ParsedFields>): ParsedFields {
  return httpFields({ kind: 'transfer', ...fields });
}
