import type { CheckpointEntry } from './checkpoint_format.js';
import { FINGERPRINT_BYTES, startsWith } from './fingerprint.js';

export interface MatchQuery {
  /** The candidate file's first bytes (decompressed for content matching). */
  head: Buffer;
  /** Match entries of compressed files (by their compressed bytes) rather than plain ones. */
  compressed: boolean;
  /**
   * The candidate's size. An entry with a short fingerprint (the whole of a small file) that was
   * acknowledged beyond it is not this file: another small file that starts alike. With a full
   * fingerprint it is: a copy of the file made before lines that were then read from the original
   * (copytruncate), holding nothing new.
   */
  size: number;
  /** The candidate's path, preferred when several entries match equally. */
  path: string;
  /** Entries that must not match (held by another open file, or the old content of this one). */
  exclude?: (fileId: string) => boolean;
}

/**
 * The known file the candidate is, if any: an entry whose fingerprint the candidate's head starts
 * with. The longest fingerprint wins (it says the most), then the same path.
 */
export function findEntry(entries: Iterable<CheckpointEntry>, query: MatchQuery): CheckpointEntry | undefined {
  let best: CheckpointEntry | undefined;
  let bestLength = -1;
  for (const entry of entries) {
    if (entry.compressed !== query.compressed) continue;
    if (query.exclude?.(entry.fileId)) continue;
    const fingerprint = Buffer.from(entry.fingerprint, 'base64');
    if (!entry.compressed && entry.offset > query.size && fingerprint.length < FINGERPRINT_BYTES) continue;
    if (!startsWith(query.head, fingerprint)) continue;
    const better =
      fingerprint.length > bestLength || (fingerprint.length === bestLength && entry.path === query.path && best?.path !== query.path);
    if (better) {
      best = entry;
      bestLength = fingerprint.length;
    }
  }
  return best;
}
