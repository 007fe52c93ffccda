import type { CheckpointEntry } from './checkpoint_format.js';

/** Bytes of a fingerprint that key the index: a head matches only entries sharing them. */
const KEY_BYTES = 64;

/**
 * Checkpoint entries by the first bytes of their fingerprint. A file matches an entry when its
 * head starts with the entry's fingerprint, so only entries keyed by the head's first bytes (and
 * the few with fingerprints shorter than the key) can match: identifying 10,000 files then costs
 * 10,000 look-ups, not 10,000 × 10,000 comparisons.
 */
export class FingerprintIndex {
  private readonly byKey = new Map<string, Set<string>>();
  /** Entries whose fingerprint is shorter than the key: compared one by one. */
  private readonly short = new Set<string>();

  add(entry: CheckpointEntry): void {
    const bytes = Buffer.from(entry.fingerprint, 'base64');
    if (bytes.length < KEY_BYTES) {
      this.short.add(entry.fileId);
      return;
    }
    const key = keyOf(bytes);
    let ids = this.byKey.get(key);
    if (!ids) this.byKey.set(key, (ids = new Set()));
    ids.add(entry.fileId);
  }

  remove(entry: CheckpointEntry): void {
    const bytes = Buffer.from(entry.fingerprint, 'base64');
    if (bytes.length < KEY_BYTES) {
      this.short.delete(entry.fileId);
      return;
    }
    const key = keyOf(bytes);
    const ids = this.byKey.get(key);
    ids?.delete(entry.fileId);
    if (ids?.size === 0) this.byKey.delete(key);
  }

  /** The entries of `byId` a file starting with `head` may be. */
  *candidates(head: Buffer, byId: ReadonlyMap<string, CheckpointEntry>): Iterable<CheckpointEntry> {
    for (const id of this.short) {
      const entry = byId.get(id);
      if (entry) yield entry;
    }
    if (head.length < KEY_BYTES) return;
    for (const id of this.byKey.get(keyOf(head)) ?? []) {
      const entry = byId.get(id);
      if (entry) yield entry;
    }
  }
}

function keyOf(bytes: Buffer): string {
  return bytes.toString('latin1', 0, KEY_BYTES);
}
