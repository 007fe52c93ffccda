import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled bench lives in dist/receiver/bench; the receiver it measures beside it. */
const here = path.dirname(fileURLToPath(import.meta.url));

/** The compiled `logpulse` command. */
export const LOGPULSE_BIN = path.resolve(here, '../src/cli/main.js');

/** The compiled child script that measures the parser alone. */
export const PARSE_CHILD = path.join(here, 'parse_child.js');

/** The compiled child script that runs chDB's Regexp parse. */
export const REGEXP_CHILD = path.join(here, 'clickhouse_regexp_child.js');
