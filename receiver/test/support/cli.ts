import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, and the compiled `logpulse` command the end-to-end tests run. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const LOGPULSE_BIN = path.join(REPO_ROOT, 'dist/receiver/src/cli/main.js');
