import { OTHER } from './metric_labels.js';

/** Sections longer than this are counted as `other`: a label value is not the place for a blob. */
const MAX_SECTION_LABEL_CHARS = 128;

/**
 * Keeps the `section` label bounded per source. Rule: the first `maxSectionsPerSource` distinct
 * sections seen for a source keep their own label for the life of the process; every later one
 * (and an empty or overlong section) is counted as `other`.
 *
 * First-come rather than a top-K: once Prometheus holds a series under a label, moving that
 * section's counts to `other` later would make both series jump. A real site's sections show up
 * within its first minutes of traffic, before a scan of random URLs could take their places, and
 * the result is deterministic for a given input order.
 */
export class SectionLimiter {
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly maxSectionsPerSource: number) {}

  label(source: string, section: string): string {
    if (section === '' || section.length > MAX_SECTION_LABEL_CHARS) return OTHER;
    let sections = this.known.get(source);
    if (sections === undefined) {
      sections = new Set();
      this.known.set(source, sections);
    }
    if (sections.has(section)) return section;
    if (sections.size >= this.maxSectionsPerSource) return OTHER;
    sections.add(section);
    return section;
  }
}
