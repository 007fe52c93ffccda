import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadReceiverConfig } from '../../src/config/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/config');

describe('receiver config', () => {
  it('uses the documented defaults when only a path is given', () => {
    const config = loadReceiverConfig({ flags: { paths: ['access.log'] } });
    expect(config).toMatchObject({
      paths: ['access.log'],
      format: 'auto',
      dataDir: './data',
      thresholdRps: 10,
      alertWindowSeconds: 120,
      periodSeconds: 10,
      maxLineBytes: 65_536,
      metricsPort: 9464,
      retentionDays: 0,
      migrate: true,
      tui: true,
      once: false,
    });
  });

  it('layers defaults < file < environment < flags', () => {
    const config = loadReceiverConfig({
      configFile: path.join(fixtures, 'valid.yaml'),
      env: { LOGPULSE_THRESHOLD_RPS: '30', LOGPULSE_DATA_DIR: '/srv/logpulse' },
      flags: { threshold_rps: '40' },
    });
    expect(config.paths).toEqual(['/var/log/nginx/access.log', '/var/log/sftpgo/']);
    expect(config.alertWindowSeconds).toBe(120);
    expect(config.clickhouseUrl).toBe('http://clickhouse:8123');
    expect(config.dataDir).toBe('/srv/logpulse');
    expect(config.thresholdRps).toBe(40);
  });

  it('reads durations with units', () => {
    const config = loadReceiverConfig({ flags: { paths: ['a.log'], alert_window_seconds: '90s', period_seconds: '1m' } });
    expect(config.alertWindowSeconds).toBe(90);
    expect(config.periodSeconds).toBe(60);
  });

  it('reads the silence threshold in minutes, or as a duration, and the retired sources as a list', () => {
    expect(loadReceiverConfig({ flags: { paths: ['a.log'] } })).toMatchObject({ silenceMinutes: 5, retiredSources: [] });
    const file = loadReceiverConfig({ configFile: path.join(fixtures, 'silence.yaml') });
    expect(file).toMatchObject({ silenceMinutes: 2.5, retiredSources: ['old-web-1', 'web-7.example.org'] });
    const flags = loadReceiverConfig({ flags: { paths: ['a.log'], silence_minutes: '30s', retired_sources: 'old-web-1, old-web-2' } });
    expect(flags).toMatchObject({ silenceMinutes: 0.5, retiredSources: ['old-web-1', 'old-web-2'] });
    expect(loadReceiverConfig({ flags: { paths: ['a.log'] }, env: { LOGPULSE_SILENCE_MINUTES: '1h' } }).silenceMinutes).toBe(60);
    for (const bad of ['0', '-1', 'soon', '5 minutes']) {
      expect(() => loadReceiverConfig({ flags: { paths: ['a.log'], silence_minutes: bad } })).toThrow(
        `--silence-minutes: expected a positive number of minutes (or a duration like 30s, 2m), got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('names the flag, the value seen and what was expected', () => {
    expect(() => loadReceiverConfig({ flags: { paths: ['a.log'], threshold_rps: 'ten' } })).toThrow(
      '--threshold: expected a positive number of requests per second, got "ten"',
    );
    expect(() => loadReceiverConfig({ flags: { paths: ['a.log'], format: 'apache' } })).toThrow(
      '--format: expected one of auto, clf, combined, w3c, csv, sftpgo, got "apache"',
    );
  });

  it('names the environment variable a bad value came from', () => {
    expect(() => loadReceiverConfig({ flags: { paths: ['a.log'] }, env: { LOGPULSE_METRICS_PORT: '70000' } })).toThrow(
      'LOGPULSE_METRICS_PORT: expected a TCP port from 0 to 65535 (0 picks a free one), got "70000"',
    );
  });

  it('rejects an unknown key in the config file, naming it', () => {
    expect(() => loadReceiverConfig({ configFile: path.join(fixtures, 'unknown_key.yaml') })).toThrow(
      /unknown_key\.yaml: unknown key "treshold_rps"; expected one of paths, format/,
    );
  });

  it('names the file and key of a bad value in the config file', () => {
    expect(() => loadReceiverConfig({ configFile: path.join(fixtures, 'bad_value.yaml') })).toThrow(
      /bad_value\.yaml: batch_rows: expected a whole number of rows from 1 to 10000000, got "many"/,
    );
  });

  it('rejects a missing config file with its path', () => {
    expect(() => loadReceiverConfig({ configFile: '/nonexistent/logpulse.yaml' })).toThrow('config: read /nonexistent/logpulse.yaml: ENOENT');
  });

  it('checks combinations: nothing to follow, a bad URL, --once with --demo', () => {
    expect(() => loadReceiverConfig({})).toThrow('paths: expected at least one file, directory or glob to follow (or --demo, --otlp-port, --syslog-udp, --syslog-tcp), got none');
    expect(loadReceiverConfig({ flags: { otlp_port: true } }).otlpPort).toBe(4318);
    expect(() => loadReceiverConfig({ flags: { otlp_port: 4318, once: true, paths: ['a.log'] } })).toThrow('--once and --otlp-port: the OTLP endpoint runs until stopped; use one or the other');
    expect(() => loadReceiverConfig({ flags: { paths: ['a.log'], clickhouse_url: 'clickhouse:8123' } })).toThrow(
      '--clickhouse-url: expected an http(s):// URL of a ClickHouse server, got "clickhouse:8123"',
    );
    expect(() => loadReceiverConfig({ flags: { demo: true, once: true } })).toThrow('--once and --demo');
  });

  it('takes syslog listeners as host:port, alone or together, off by default', () => {
    const off = loadReceiverConfig({ flags: { paths: ['a.log'] } });
    expect([off.syslogUdp, off.syslogTcp, off.syslogMaxMessageBytes, off.syslogMaxConnections]).toEqual(['', '', 65_536, 256]);
    const on = loadReceiverConfig({ flags: { syslog_udp: '127.0.0.1:5514' }, env: { LOGPULSE_SYSLOG_TCP: '[::1]:514' } });
    expect([on.syslogUdp, on.syslogTcp, on.paths]).toEqual(['127.0.0.1:5514', '[::1]:514', []]);
    expect(() => loadReceiverConfig({ flags: { syslog_tcp: '5514' } })).toThrow(
      '--syslog-tcp: expected host:port (like 127.0.0.1:5514 or [::1]:514; port 0 picks a free one), got "5514"',
    );
    expect(() => loadReceiverConfig({ env: { LOGPULSE_SYSLOG_UDP: 'localhost:70000' } })).toThrow(/^LOGPULSE_SYSLOG_UDP: expected host:port/);
    expect(() => loadReceiverConfig({ flags: { syslog_udp: '0.0.0.0:514', once: true } })).toThrow(
      '--once and --syslog-udp/--syslog-tcp: the syslog listener runs until stopped; use one or the other',
    );
    expect(() => loadReceiverConfig({ flags: { syslog_udp: '127.0.0.1:514', syslog_max_message_bytes: '100' } })).toThrow(
      '--syslog-max-message-bytes: expected a whole number of bytes from 480 to 16777216, got "100"',
    );
  });
});
