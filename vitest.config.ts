import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['receiver/test/**/*.test.ts', 'receiver/test/**/*.test.tsx'],
    // The fault suite has its own config (vitest.faults.config.ts); `npm test` runs it after this one.
    exclude: ['receiver/test/faults/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['receiver/test/support/global_setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // chDB binds one data directory per process: every test file runs in its own fork.
    pool: 'forks',
    fileParallelism: true,
  },
});
