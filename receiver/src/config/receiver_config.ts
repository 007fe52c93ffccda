import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError } from './config_error.js';
import { OPTION_SPECS, envName } from './options.js';
import type { OptionSpec } from './options.js';
import { readValue } from './read_value.js';
import { parseListenAddress } from '../sources/syslog/syslog_options.js';
import { redactUrl } from './redact_url.js';

/** The validated configuration of `logpulse run`. Defaults are in options.ts. */
export interface ReceiverConfig {
  paths: string[];
  format: 'auto' | 'clf' | 'combined' | 'w3c' | 'csv' | 'sftpgo';
  source: string;
  dataDir: string;
  once: boolean;
  startAt: 'beginning' | 'end';
  maxLineBytes: number;
  /** Checkpoints kept of files gone from every watched path. */
  checkpointMaxGoneFiles: number;
  periodSeconds: number;
  thresholdRps: number;
  alertWindowSeconds: number;
  /** Silence threshold of the liveness alert, minutes (fractions allowed). */
  silenceMinutes: number;
  retiredSources: string[];
  tui: boolean;
  demo: boolean;
  clickhouseUrl: string;
  batchRows: number;
  flushIntervalMs: number;
  /** Days of history kept; 0 keeps everything (no TTL). */
  retentionDays: number;
  migrate: boolean;
  metricsPort: number;
  metricsHost: string;
  otlpMetricsEndpoint: string;
  /** -1: the OTLP/HTTP logs endpoint is off. */
  otlpPort: number;
  otlpHost: string;
  ingestToken: string;
  ingestTokensFile: string;
  otlpMaxBodyBytes: number;
  /** host:port of the UDP syslog listener; '' when off. */
  syslogUdp: string;
  /** host:port of the TCP syslog listener; '' when off. */
  syslogTcp: string;
  syslogMaxMessageBytes: number;
  syslogMaxConnections: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface ConfigInputs {
  /** Path of a YAML config file, if any. */
  configFile?: string;
  /** Environment (process.env). */
  env?: Record<string, string | undefined>;
  /** Values given on the command line, keyed by option key (snake_case); absent = not given. */
  flags?: Record<string, unknown>;
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

const require = createRequire(import.meta.url);

/**
 * `yaml`'s parse, loaded with the first config file read: most runs have none, and every command
 * (`--help` too) reads this module, while `yaml` takes about 50 ms to load.
 */
function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config: parse ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config: ${path}: expected a mapping of option keys, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  const known = new Set(OPTION_SPECS.map((s) => s.key));
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) throw new ConfigError(`config: ${path}: unknown key "${key}"; expected one of ${[...known].join(', ')}`);
  }
  return doc as Record<string, unknown>;
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkCombinations(config: ReceiverConfig, originOf: (key: string) => string): void {
  if (config.clickhouseUrl !== '' && !isUrl(config.clickhouseUrl)) {
    throw new ConfigError(`${originOf('clickhouse_url')}: expected an http(s):// URL of a ClickHouse server, got ${redactUrl(JSON.stringify(config.clickhouseUrl))}`);
  }
  if (config.otlpMetricsEndpoint !== '' && !isUrl(config.otlpMetricsEndpoint)) {
    throw new ConfigError(`${originOf('otlp_metrics_endpoint')}: expected an http(s):// URL of an OTLP/HTTP metrics endpoint, got ${redactUrl(JSON.stringify(config.otlpMetricsEndpoint))}`);
  }
  if (config.source.trim() === '') throw new ConfigError(`${originOf('source')}: expected a non-empty source name, got ""`);
  const syslog = config.syslogUdp !== '' || config.syslogTcp !== '';
  if (config.syslogUdp !== '') parseListenAddress(config.syslogUdp, originOf('syslog_udp'));
  if (config.syslogTcp !== '') parseListenAddress(config.syslogTcp, originOf('syslog_tcp'));
  if (config.paths.length === 0 && !config.demo && config.otlpPort < 0 && !syslog) {
    throw new ConfigError('paths: expected at least one file, directory or glob to follow (or --demo, --otlp-port, --syslog-udp, --syslog-tcp), got none');
  }
  if (config.once && config.otlpPort >= 0) throw new ConfigError('--once and --otlp-port: the OTLP endpoint runs until stopped; use one or the other');
  if (config.once && syslog) throw new ConfigError('--once and --syslog-udp/--syslog-tcp: the syslog listener runs until stopped; use one or the other');
  if (config.once && config.demo) throw new ConfigError('--once and --demo: the demo runs until stopped; use one or the other');
}

/** Merges defaults < config file < environment < flags, validating every value where it is read. */
export function loadReceiverConfig(inputs: ConfigInputs): ReceiverConfig {
  const origins = new Map<string, string>();
  const values = new Map<string, unknown>();
  const layer = (spec: OptionSpec, raw: unknown, origin: string): void => {
    if (raw === undefined) return;
    values.set(spec.key, readValue(spec, raw, origin));
    origins.set(spec.key, origin);
  };
  const file = inputs.configFile ? readConfigFile(inputs.configFile) : {};
  for (const spec of OPTION_SPECS) {
    values.set(spec.key, spec.default);
    origins.set(spec.key, spec.flag);
    layer(spec, file[spec.key], `${inputs.configFile}: ${spec.key}`);
    layer(spec, inputs.env?.[envName(spec.key)], envName(spec.key));
    layer(spec, inputs.flags?.[spec.key], spec.flag);
  }
  const config = Object.fromEntries([...values].map(([k, v]) => [camel(k), v])) as unknown as ReceiverConfig;
  checkCombinations(config, (key) => origins.get(key) ?? key);
  return config;
}
