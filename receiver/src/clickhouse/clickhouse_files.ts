import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the repository's `clickhouse/` folder (schema.sql, queries/) from this module's location,
 * whether it runs from receiver/src (tests) or from dist/ (built), and in the container image.
 */
export function clickhouseDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'clickhouse');
    if (existsSync(join(candidate, 'schema.sql'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`clickhouse: no clickhouse/schema.sql above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function defaultSchemaFile(): string {
  return join(clickhouseDir(), 'schema.sql');
}

export function defaultQueriesDir(): string {
  return join(clickhouseDir(), 'queries');
}
