import { isCsvHeader } from './csv_parser.js';
import { splitCsvRow } from './csv_row.js';
import { contentEnd, isBlank } from './parse_result.js';
import type { LogFormat } from './parse_result.js';

/** How many non-blank lines detectFormat looks at before giving up. */
export const DETECT_MAX_LINES = 20;

/**
 * The format of a file from its first lines: the first non-blank line (of at most
 * DETECT_MAX_LINES) whose shape is recognised decides. undefined when none is.
 */
export function detectFormat(firstLines: readonly string[]): LogFormat | undefined {
  let looked = 0;
  for (const line of firstLines) {
    if (isBlank(line, contentEnd(line))) continue;
    const format = classifyLine(line);
    if (format !== undefined) return format;
    if (++looked >= DETECT_MAX_LINES) break;
  }
  return undefined;
}

/**
 * The format one line has the shape of, by its shape only (a combined line with a bad status is
 * still combined-shaped):
 * - `#Software:`, `#Version:`, `#Date:`, `#Fields:`... directives: W3C;
 * - a JSON object: SFTPGo;
 * - the CSV header, or a row of at least 7 comma-separated values whose 4th is a number: CSV;
 * - `host ident user [time] "request" status bytes`: combined when `"referer" "user-agent"`
 *   follow, CLF otherwise.
 */
export function classifyLine(rawLine: string): LogFormat | undefined {
  const line = rawLine.slice(0, contentEnd(rawLine)).trimStart();
  const first = line.charCodeAt(0);
  if (first === HASH) return W3C_DIRECTIVE.test(line) ? 'w3c' : undefined;
  if (first === BRACE) return 'sftpgo';
  if (looksLikeCsv(line)) return 'csv';
  const access = ACCESS_LINE.exec(line);
  if (access === null) return undefined;
  return COMBINED_TAIL.test(access[1] ?? '') ? 'combined' : 'clf';
}

const HASH = 35;
const BRACE = 123;

const W3C_DIRECTIVE = /^#(Software|Version|Date|Fields|Start-Date|End-Date|Remark):/;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const ACCESS_LINE = new RegExp(String.raw`^\S+ \S+ .*?\[[^\]]{20,26}\] ${QUOTED} \d{3} (?:\d+|-)(.*)$`);
const COMBINED_TAIL = new RegExp(String.raw`^ ${QUOTED} ${QUOTED}`);

/**
 * What kind of server log `line` is when it is an error log rather than an access log, else '':
 * - nginx: `2024/03/06 08:00:00 [error] 1234#1234: *1 open() ...`;
 * - Apache 2.4: `[Wed Mar 06 08:00:00.123456 2024] [core:error] [pid 1234] ...`, and 2.2's
 *   `[Wed Mar 06 08:00:00 2024] [error] [client 192.0.2.1] ...`.
 */
export function errorLogKind(rawLine: string): string {
  const line = rawLine.trimStart();
  if (NGINX_ERROR.test(line)) return 'nginx error log';
  if (APACHE_ERROR.test(line)) return 'Apache error log';
  return '';
}

const NGINX_ERROR = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: /;
const APACHE_ERROR = /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d{1,6})? \d{4}\] \[(?:[\w-]+:)?(?:emerg|alert|crit|error|warn|notice|info|debug|trace\d)\] /;

function looksLikeCsv(line: string): boolean {
  if (!line.includes(',')) return false;
  const values = splitCsvRow(line, line.length);
  if (values === undefined) return false;
  if (isCsvHeader(values)) return true;
  return values.length >= 7 && /^\d+$/.test(values[3] ?? '');
}
