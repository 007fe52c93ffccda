import { Prng } from '../../src/demo/index.js';

/**
 * Lines of the fault suite: combined-format access-log lines, each carrying its sequence number
 * in the path (`GET /seq/123 HTTP/1.1`), so that what ClickHouse holds can be checked line by line:
 * which were lost, which were stored twice.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'curl/8.11.1', 'Go-http-client/1.1', '-'];

const two = (n: number): string => String(n).padStart(2, '0');

/** `02/Dec/2026:06:50:00 +0000` */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The path that carries `seq`; `SEQ_SQL` reads it back. */
export const seqPath = (seq: number): string => `/seq/${seq}`;

/** SQL expression of the sequence number of a stored row. */
export const SEQ_SQL = "toUInt64OrZero(substring(path, 6))";

/** One line with sequence number `seq`, timestamped `ms` (varied client, status, size, agent). */
export function sequencedLine(seq: number, ms: number, random: () => number = Math.random): string {
  const client = `10.${seq % 200}.${Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`;
  const status = random() < 0.9 ? 200 : random() < 0.5 ? 404 : 503;
  const bytes = Math.floor(random() * 40_000);
  const agent = AGENTS[Math.floor(random() * AGENTS.length)] ?? '-';
  return `${client} - - [${clfTime(ms)}] "GET ${seqPath(seq)} HTTP/1.1" ${status} ${bytes} "-" "${agent}"`;
}

/** `count` lines from `first`, one every `stepMs` from `startMs`, newline-terminated, seeded. */
export function sequencedText(first: number, count: number, startMs: number, stepMs: number, seed: number): string {
  const prng = new Prng(seed);
  const random = (): number => prng.next();
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(sequencedLine(first + i, startMs + Math.floor(i * stepMs), random));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The demo's seeded generator, as a function. */
export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}
