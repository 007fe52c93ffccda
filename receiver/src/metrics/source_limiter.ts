import { OTHER } from './metric_labels.js';

/** Sources longer than this are counted as `other`: a label value is not the place for a blob. */
const MAX_SOURCE_LABEL_CHARS = 128;

/**
 * Keeps the `source` label bounded. Sources come from the data: host names of OTLP resources and
 * syslog headers, which any sender may make up. The first `maxSources` distinct sources keep their
 * own label for the life of the process; every later one (and an overlong one) is counted as
 * `other`. First-come, as for sections (see section_limiter.ts): a label that Prometheus already
 * holds never moves.
 */
export class SourceLimiter {
  private readonly known = new Set<string>();

  constructor(private readonly maxSources: number) {}

  label(source: string): string {
    if (this.known.has(source)) return source;
    if (source.length > MAX_SOURCE_LABEL_CHARS || this.known.size >= this.maxSources) return OTHER;
    this.known.add(source);
    return source;
  }
}
