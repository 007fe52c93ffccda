import { defineConfig } from 'vitest/config';

const ALL = ['receiver/test/**/*.test.ts', 'receiver/test/**/*.test.tsx'];
/** The fault suite has its own config (vitest.faults.config.ts); `npm test` runs it after this one. */
const FAULTS = 'receiver/test/faults/**';

/**
 * Unit tests: no engine, no server, no child process; each file runs in about a second or less,
 * so `npm run test:unit` answers in seconds. Everything else is an integration test, against the
 * real engines (chDB, ClickHouse server, Prometheus, Alertmanager, nginx, rsyslog, GoAccess) or
 * the real CLI. A new test file is an integration test until it is listed here.
 */
const UNIT = [
  'receiver/test/parsers/*.test.ts',
  'receiver/test/config/*.test.ts',
  'receiver/test/alerts/*.test.ts',
  'receiver/test/ui/*.test.{ts,tsx}',
  'receiver/test/checkpoint/*.test.ts',
  'receiver/test/metrics/*.test.ts',
  'receiver/test/demo/{access_log_generator,sftpgo_log_generator,traffic_schedule}.test.ts',
  'receiver/test/pipeline/log_telemetry.test.ts',
  'receiver/test/sources/{line_splitter,rotation_order,stdin_source}.test.ts',
  'receiver/test/sources/syslog/{frame_decoder,syslog_parse,syslog_streams}.test.ts',
  'receiver/test/sinks/{permanent_errors,body_file,dead_letter,query_endpoint_auth}.test.ts',
  'receiver/test/grafana/{grafana_macros,grafana_time_variables,dashboards}.test.ts',
  'receiver/test/compose/dockerfile.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // chDB binds one data directory per process: every test file runs in its own fork.
    pool: 'forks',
    fileParallelism: true,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      // Builds dist/ first: end-to-end tests run the compiled `logpulse` command.
      { extends: true, test: { name: 'integration', include: ALL, exclude: [...UNIT, FAULTS], globalSetup: ['receiver/test/support/global_setup.ts'] } },
    ],
  },
});
