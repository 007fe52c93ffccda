export { writeFileAtomic } from './atomic_write.js';
export { CheckpointError } from './checkpoint_error.js';
export { CHECKPOINT_VERSION, parseCheckpoints, serializeCheckpoints } from './checkpoint_format.js';
export type { CheckpointEntry } from './checkpoint_format.js';
export { CHECKPOINT_FILE_NAME, CheckpointStore } from './checkpoint_store.js';
export type { CheckpointStoreOptions } from './checkpoint_store.js';
export {
  FINGERPRINT_BYTES,
  isIdentifiable,
  newFileId,
  readHead,
  samePrefix,
  startsWith,
} from './fingerprint.js';
export { findEntry } from './file_matcher.js';
export type { MatchQuery } from './file_matcher.js';
export { AckQueue } from './ack_queue.js';
export { Committer } from './committer.js';
export type { BatchReceipt, CommitterOptions } from './committer.js';
export { DEFAULT_MAX_GONE_FILES } from './checkpoint_store.js';
