import { mkdir, open, rename, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowIdentity } from './body_rows.js';

/** One row ClickHouse refused for good, as the dead-letter file keeps it (one JSON object a line). */
export interface DeadLetter extends RowIdentity {
  /** When the row was given up, ISO-8601 UTC. */
  at: string;
  table: string;
  reason: string;
  /** ClickHouse's error code, when it gave one. */
  code: number | undefined;
  message: string;
}

/** The dead-letter folder of a data directory. */
export function deadLetterDir(dataDir: string): string {
  return join(dataDir, 'dead_letter');
}

/**
 * Appends dead letters to `<dir>/events.jsonl`, fsynced before the batch they came from is
 * acknowledged (they are then the only copy of those rows). Bounded: when a write would take the
 * file past `maxBytes`, it is renamed to `events.1.jsonl` (replacing the one before) and a new file
 * starts, so the folder holds at most about twice `maxBytes`.
 */
export class DeadLetterFile {
  readonly path: string;
  readonly #previous: string;
  #size: number | undefined;

  constructor(readonly dir: string, private readonly maxBytes: number) {
    this.path = join(dir, 'events.jsonl');
    this.#previous = join(dir, 'events.1.jsonl');
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const text = Buffer.from(letters.map((letter) => `${JSON.stringify(letter)}\n`).join(''), 'utf8');
    await mkdir(this.dir, { recursive: true });
    this.#size ??= await stat(this.path).then((s) => s.size, () => 0);
    if (this.#size > 0 && this.#size + text.length > this.maxBytes) {
      await rename(this.path, this.#previous);
      this.#size = 0;
    }
    const before = this.#size;
    try {
      const handle = await open(this.path, 'a');
      try {
        await handle.write(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      // A full disk may have taken half the lines: cut them off, so a retry leaves no broken line.
      await truncate(this.path, before).catch(() => {});
      throw error;
    }
    this.#size = before + text.length;
  }
}
