import { closeSync, copyFileSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sequencedLine } from './sequenced_lines.js';

/**
 * A web server and its log rotation, as they act on a live log: lines are appended to `access.log`
 * through a descriptor opened for appending, at `linesPerSecond`, and every 1-2 s (seeded) the log
 * is rotated by one of the ways production does it:
 *  - rename: `access.log` → `access.log.1` (older ones shifted), the server reopens a moment later;
 *  - copytruncate: copied to `access.log.1` while lines keep coming, then truncated in place;
 *  - gzip: rename, reopen, and the renamed file compressed to `access.log.1.gz` right away;
 *  - dated: SFTPGo's (lumberjack's) rename to `access-2026-12-02T06-50-00.000.log`.
 * The writer records which lines it wrote while a copy was being made: those after the copy read
 * them and before the truncate are in no file, copytruncate's own loss.
 */

export type Rotation = 'rename' | 'copytruncate' | 'gzip' | 'dated';
export const ROTATIONS: readonly Rotation[] = ['rename', 'copytruncate', 'gzip', 'dated'];

export interface WriterStats {
  written: number;
  rotations: Record<Rotation, number>;
  /** Sequence numbers written between the start of a copy and the truncate that followed it. */
  copyWindows: Array<[number, number]>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RotatingWriter {
  readonly stats: WriterStats = { written: 0, rotations: { rename: 0, copytruncate: 0, gzip: 0, dated: 0 }, copyWindows: [] };
  #fd: number;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #generation = 0;

  constructor(
    private readonly dir: string,
    private readonly linesPerSecond: number,
    /** Draws the schedule: when and how to rotate. */
    private readonly random: () => number,
    /** Draws the lines' fields, apart, so that the schedule does not depend on how many lines were written. */
    private readonly lineRandom: () => number,
    private readonly rotations: readonly Rotation[] = ROTATIONS,
    /** Milliseconds between rotations: at least the first, less than the first plus the second. */
    private readonly rotateEveryMs: readonly [number, number] = [1_000, 1_000],
  ) {
    this.#fd = openSync(this.log, 'a');
  }

  get log(): string {
    return join(this.dir, 'access.log');
  }

  /** Writes and rotates until `stop()`. */
  start(): void {
    this.#loop = Promise.all([this.#write(), this.#rotate()]).then(() => {});
  }

  async stop(): Promise<WriterStats> {
    this.#stopped = true;
    await this.#loop;
    closeSync(this.#fd);
    return this.stats;
  }

  /** Every sequence number present in some file of the folder now (plain or gzip'd). */
  onDisk(): Set<number> {
    const seqs = new Set<number>();
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith('access')) continue;
      const path = join(this.dir, name);
      const raw = readFileSync(path);
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      for (const match of text.matchAll(/"GET \/seq\/(\d+) /g)) seqs.add(Number(match[1]));
    }
    return seqs;
  }

  #append(count: number): void {
    const now = Date.now();
    let text = '';
    for (let i = 0; i < count; i++) text += `${sequencedLine(this.stats.written + i, now, this.lineRandom)}\n`;
    writeSync(this.#fd, text);
    this.stats.written += count;
  }

  async #write(): Promise<void> {
    const tickMs = 20;
    let due = 0;
    let last = Date.now();
    while (!this.#stopped) {
      await sleep(tickMs);
      const now = Date.now();
      due += ((now - last) * this.linesPerSecond) / 1000;
      last = now;
      const count = Math.floor(due);
      due -= count;
      if (count > 0) this.#append(count);
    }
  }

  async #rotate(): Promise<void> {
    while (!this.#stopped) {
      await sleep(this.rotateEveryMs[0] + Math.floor(this.random() * this.rotateEveryMs[1]));
      if (this.#stopped) break;
      const kind = this.rotations[Math.floor(this.random() * this.rotations.length)] ?? 'rename';
      this.stats.rotations[kind]++;
      this.#generation++;
      if (kind === 'copytruncate') {
        this.#shift();
        const from = this.stats.written;
        // The copy runs while lines keep coming: a few milliseconds of them go nowhere.
        await sleep(Math.floor(this.random() * 5));
        copyFileSync(this.log, join(this.dir, 'access.log.1'));
        await sleep(Math.floor(this.random() * 5));
        ftruncateSync(this.#fd, 0);
        this.stats.copyWindows.push([from, this.stats.written]);
        continue;
      }
      const renamed = kind === 'dated' ? join(this.dir, `access-${new Date(Date.now() + this.#generation).toISOString().replace(/:/g, '-').replace('Z', '')}.log`) : join(this.dir, 'access.log.1');
      if (kind !== 'dated') this.#shift();
      renameSync(this.log, renamed);
      // The server keeps writing to the renamed file until it reopens its log.
      await sleep(Math.floor(this.random() * 100));
      const previous = this.#fd;
      this.#fd = openSync(this.log, 'a');
      closeSync(previous);
      if (kind === 'gzip') {
        // logrotate's `compress` without `delaycompress`: the copy is compressed, the original removed.
        writeFileSync(`${renamed}.gz`, gzipSync(readFileSync(renamed)));
        unlinkSync(renamed);
      }
    }
  }

  /** `access.log.N[.gz]` → `access.log.N+1[.gz]`, newest last, so that `access.log.1` is free. */
  #shift(): void {
    const numbered = readdirSync(this.dir)
      .map((name) => ({ name, m: /^access\.log\.(\d+)(\.gz)?$/.exec(name) }))
      .filter((f) => f.m !== null)
      .sort((a, b) => Number(b.m?.[1]) - Number(a.m?.[1]));
    for (const { m } of numbered) {
      const n = Number(m?.[1]);
      const gz = m?.[2] ?? '';
      const to = join(this.dir, `access.log.${n + 1}${gz}`);
      if (!existsSync(to)) renameSync(join(this.dir, `access.log.${n}${gz}`), to);
    }
  }
}
