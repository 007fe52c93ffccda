import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource } from '../../src/sources/file/file_source.js';
import type { FileSourceOptions, SourceLogger } from '../../src/sources/file/file_source_options.js';
import type { LineBatch } from '../../src/model/line_batch.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sources');

/** A fresh directory under the OS temp dir; removed by the returned cleanup. */
export function tempDir(prefix = 'logpulse-sources-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real-looking nginx combined line, numbered so that tests can tell lines apart. */
export function nginxLine(n: number): string {
  const second = String(n % 60).padStart(2, '0');
  return `10.1.${n % 250}.${(n * 7) % 250} - - [18/Sep/2024:03:17:${second} +0000] "GET /pages/${n} HTTP/1.1" 200 ${512 + n} "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"`;
}

export function nginxLines(from: number, to: number): string {
  let out = '';
  for (let n = from; n < to; n++) out += `${nginxLine(n)}\n`;
  return out;
}

export interface Received {
  fileId: string;
  file: string;
  offset: number;
  text: string;
  truncated: boolean;
}

/**
 * The pipeline as the source sees it: it keeps every batch, and acks them in order, either at once
 * or when the test says so (`autoAck = false`, then `ackAll()`).
 */
export class Collector {
  readonly batches: LineBatch[] = [];
  autoAck = true;
  private acked = 0;
  /** When set, `handle` never resolves: the source hangs as in a process that died. */
  frozen = false;

  readonly handle = async (batch: LineBatch): Promise<void> => {
    if (this.frozen) return new Promise<void>(() => {});
    this.batches.push(batch);
    if (this.autoAck) this.ackAll();
  };

  ackAll(): void {
    for (; this.acked < this.batches.length; this.acked++) this.batches[this.acked]?.ack();
  }

  lines(): Received[] {
    return this.batches.flatMap((b) =>
      b.lines.map((l) => ({ fileId: b.fileId, file: b.file, offset: l.offset, text: l.text, truncated: l.truncated === true })),
    );
  }

  texts(): string[] {
    return this.lines().map((l) => l.text);
  }

  async waitForLines(count: number, timeoutMs = 4000): Promise<void> {
    await waitFor(() => this.lines().length >= count, timeoutMs, () => `expected ${count} lines, got ${this.lines().length}`);
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger that keeps what it is told, to check that a problem is reported once. */
export class MemoryLogger implements SourceLogger {
  readonly warnings: { fields: Record<string, unknown>; message: string }[] = [];
  warn(fields: Record<string, unknown>, message: string): void {
    this.warnings.push({ fields, message });
  }
}

/** A source with short intervals for tests. */
export function testSource(options: Partial<FileSourceOptions> & Pick<FileSourceOptions, 'paths' | 'dataDir'>, collector: Collector): FileSource {
  return new FileSource(
    { source: 'web-1', pollIntervalMs: 40, commitIntervalMs: 50, logger: new MemoryLogger(), ...options },
    collector.handle,
  );
}

/** Every text exactly once, whatever the order. */
export function expectEachOnce(received: string[], expected: string[]): void {
  const sortedReceived = [...received].sort();
  const sortedExpected = [...expected].sort();
  if (JSON.stringify(sortedReceived) !== JSON.stringify(sortedExpected)) {
    const missing = expected.filter((t) => !received.includes(t));
    const counts = new Map<string, number>();
    for (const t of received) counts.set(t, (counts.get(t) ?? 0) + 1);
    const twice = [...counts].filter(([, c]) => c > 1).map(([t]) => t);
    throw new Error(`lines differ: ${missing.length} missing (${missing.slice(0, 3).join(' | ')}), ${twice.length} read twice (${twice.slice(0, 3).join(' | ')}), ${received.length} received, ${expected.length} expected`);
  }
}
