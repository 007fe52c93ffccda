import { z } from 'zod';
import { CheckpointError } from './checkpoint_error.js';

/** The version of `checkpoints.json` this code reads and writes. */
export const CHECKPOINT_VERSION = 1;

/** What is remembered about one file, keyed by its identity rather than its path. */
export interface CheckpointEntry {
  /** The file id handed to the pipeline (`LineBatch.fileId`); never changes for the file's life. */
  fileId: string;
  /** First bytes of the file (up to 1000), base64: a file whose head starts with these is this file. */
  fingerprint: string;
  /** Byte offset up to which every line was acknowledged by storage (decompressed bytes for .gz content). */
  offset: number;
  /** Where the file was last seen, to break ties between equal fingerprints. */
  path: string;
  /** True for a compressed file (its fingerprint is of the compressed bytes). */
  compressed: boolean;
  /** True once the file was read to its end and will not grow (a rotated file, a .gz). */
  finished: boolean;
  /** Epoch milliseconds when the file was last seen in a watched path; old entries are pruned. */
  lastSeenMs: number;
}

const entrySchema = z.strictObject({
  fileId: z.string().min(1),
  fingerprint: z.base64(),
  offset: z.number().int().nonnegative(),
  path: z.string(),
  compressed: z.boolean(),
  finished: z.boolean(),
  lastSeenMs: z.number().int().nonnegative(),
});

const fileSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  files: z.array(entrySchema),
});

/** Parses the content of `path`; throws a CheckpointError naming the path on anything unexpected. */
export function parseCheckpoints(text: string, path: string): CheckpointEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CheckpointError(`read ${path}: not valid JSON (${(cause as Error).message}); move it away to start over`, path, { cause });
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `read ${path}: unknown version ${JSON.stringify(version)}, expected ${CHECKPOINT_VERSION}`,
      path,
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new CheckpointError(`read ${path}: invalid entry at ${where}: ${issue?.message ?? 'unknown'}`, path, {
      cause: parsed.error,
    });
  }
  return parsed.data.files;
}

export function serializeCheckpoints(entries: Iterable<CheckpointEntry>): string {
  return `${JSON.stringify({ version: CHECKPOINT_VERSION, files: [...entries] }, null, 1)}\n`;
}
