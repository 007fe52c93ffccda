import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): crashes, rotations, outages, full disks and hostile
 * input against the real CLI and engines. Kept apart from the default run so that `vitest run`
 * on its own stays quick; `npm test` (what CI runs) runs both.
 */
export default defineConfig({
  test: {
    include: ['receiver/test/faults/**/*.test.ts'],
    globalSetup: ['receiver/test/support/global_setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The scenarios measure throughput, loss and memory of a real receiver: one at a time, so that
    // they neither starve each other of the machine's two cores nor skew each other's figures.
    fileParallelism: false,
  },
});
