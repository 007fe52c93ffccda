import { z } from 'zod';
import { OUTPUT_FORMATS, type OutputFormat } from '../clickhouse/store_options.js';
import type { QueryParams } from '../clickhouse/store.js';

/** The body the query endpoint accepts: `{ query, params, format }`. */
export interface QueryRequest {
  query: string;
  params: QueryParams;
  format: OutputFormat;
}

export const DEFAULT_FORMAT: OutputFormat = 'TSV';

const requestSchema = z.strictObject({
  query: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  format: z.enum(OUTPUT_FORMATS).default(DEFAULT_FORMAT),
});

/** Parses and checks a request body; the error text names what is wrong. */
export function parseQueryRequest(body: string): { ok: true; request: QueryRequest } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: 'expected a JSON object {"query", "params", "format"}' };
  }
  const result = requestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, request: result.data };
}
