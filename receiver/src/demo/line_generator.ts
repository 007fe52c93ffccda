import { AccessLogGenerator } from './access_log_generator.js';
import { SftpgoLogGenerator } from './sftpgo_log_generator.js';

/** The log formats the demo can write. */
export const DEMO_FORMATS = ['combined', 'sftpgo'] as const;
export type DemoFormat = (typeof DEMO_FORMATS)[number];

/** Makes log lines one at a time; the same seed gives the same lines for the same timestamps. */
export interface LineGenerator {
  /** One line stamped `epochMs` (UTC), without its line ending. */
  line(epochMs: number): string;
}

export function createLineGenerator(format: DemoFormat, seed: number): LineGenerator {
  switch (format) {
    case 'combined':
      return new AccessLogGenerator({ seed });
    case 'sftpgo':
      return new SftpgoLogGenerator({ seed });
  }
}
