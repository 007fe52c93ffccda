import { gzipSync } from 'node:zlib';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLineGenerator, linesInSecond, type TrafficSchedule } from '../../src/demo/index.js';

/** Bursts short enough that an hour of log crosses a 10 s, 5 req/s alert dozens of times. */
export const BURSTY: TrafficSchedule = { baseRate: 1, burstRate: 12, burstSeconds: 20, quietSeconds: 40, firstBurstAfterSeconds: 30 };

/** nginx combined lines of the demo site, in time order, from `startMs` for `seconds` seconds. */
export function burstyLines(startMs: number, seconds: number, seed = 7, schedule: TrafficSchedule = BURSTY): string[] {
  const generator = createLineGenerator('combined', seed);
  const lines: string[] = [];
  for (let s = 0; s < seconds; s++) {
    const n = linesInSecond(schedule, s);
    for (let i = 0; i < n; i++) lines.push(generator.line(startMs + s * 1000 + Math.floor((i * 1000) / n)));
  }
  return lines;
}

/**
 * `lines` split over a logrotate'd set in `dir`, as `rotate 10` + `compress` + `delaycompress`
 * leave it: `name.10.gz` (oldest) .. `name.2.gz`, `name.1`, then `name` (newest). The files are
 * written newest first and each gets the modification time of its last line, as on a server.
 */
export async function writeRotatedSet(dir: string, name: string, lines: readonly string[], lineTimeMs: (line: string) => number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const parts = 12;
  const size = Math.ceil(lines.length / parts);
  const files: Array<{ path: string; body: string; mtimeMs: number }> = [];
  for (let p = 0; p < parts; p++) {
    const chunk = lines.slice(p * size, (p + 1) * size);
    const generation = parts - 1 - p;
    const body = chunk.map((l) => `${l}\n`).join('');
    const path = join(dir, generation === 0 ? name : generation === 1 ? `${name}.1` : `${name}.${generation}.gz`);
    files.push({ path, body, mtimeMs: lineTimeMs(chunk[chunk.length - 1]!) });
  }
  for (const file of [...files].reverse()) {
    await writeFile(file.path, file.path.endsWith('.gz') ? gzipSync(file.body) : file.body);
    await utimes(file.path, file.mtimeMs / 1000, file.mtimeMs / 1000);
  }
  return files.map((f) => f.path);
}

const CLF_TIME = /\[(\d\d)\/(\w\w\w)\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The time of a combined line written in UTC (`+0000`), epoch ms. */
export function clfTimeMs(line: string): number {
  const m = CLF_TIME.exec(line);
  if (!m) throw new Error(`no CLF time in ${line}`);
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}
