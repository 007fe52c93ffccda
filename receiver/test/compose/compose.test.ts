import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * compose.yaml as Debian's docker-compose (1.29) reads it. No Docker engine runs here: the stack is
 * validated by `docker-compose config`, which interpolates and checks the file, and by reading the
 * resolved configuration it prints.
 */
const ROOT = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '');
const COMPOSE_BIN = '/usr/bin/docker-compose';
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: { context: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: unknown[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

interface ResolvedCompose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The environment without the stack's variables, so only the env file given decides them. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(CLICKHOUSE_|GRAFANA_|LOGPULSE_)/.test(key)) delete env[key];
  }
  return env;
}

function compose(envFile: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  if (!existsSync(COMPOSE_BIN)) throw new Error(`${COMPOSE_BIN} is missing: install the Debian package 'docker-compose'`);
  return run(COMPOSE_BIN, ['-f', join(ROOT, 'compose.yaml'), '--env-file', envFile, ...args], {
    cwd: ROOT,
    env: cleanEnv(),
  });
}

const LONG_RUNNING = ['clickhouse', 'receiver', 'prometheus', 'alertmanager', 'grafana'];

describe('compose.yaml', () => {
  let resolved: ResolvedCompose;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'logpulse-compose-'));
    resolved = parse((await compose(join(ROOT, '.env.example'), 'config')).stdout) as ResolvedCompose;
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes docker-compose config -q with the documented .env.example', async () => {
    const { stderr } = await compose(join(ROOT, '.env.example'), 'config', '-q');
    expect(stderr).not.toMatch(/ERROR/);
  });

  it('refuses to start without credentials and says which variable is missing', async () => {
    const empty = join(scratch, 'empty.env');
    await writeFile(empty, '');
    await expect(compose(empty, 'config', '-q')).rejects.toMatchObject({
      stderr: expect.stringMatching(/set CLICKHOUSE_(USER|PASSWORD) in \.env/),
    });
  });

  it('defines the whole stack', () => {
    expect(Object.keys(resolved.services).sort()).toEqual(
      ['alertmanager', 'clickhouse', 'demo', 'grafana', 'prometheus', 'receiver'].sort(),
    );
  });

  it('mounts only files and folders that exist in the repository', () => {
    let binds = 0;
    for (const [name, service] of Object.entries(resolved.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('/')) {
          expect(resolved.volumes, `${name}: named volume ${source} is declared`).toHaveProperty(source);
          continue;
        }
        expect(source.startsWith(`${ROOT}/`), `${name}: ${source} is inside the repository`).toBe(true);
        expect(existsSync(source), `${name} mounts ${source.slice(ROOT.length + 1)}, which does not exist`).toBe(true);
        binds++;
      }
    }
    expect(binds).toBeGreaterThanOrEqual(5);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(resolved.services)) {
      expect(service.image, `${name} has an image`).toBeDefined();
      const image = service.image ?? '';
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      expect(tag, `${name}: ${image} has a tag`).toBeDefined();
      expect(tag, `${name}: ${image}`).not.toBe('latest');
      expect(tag, `${name}: ${image} is pinned to a version`).toMatch(/^v?\d+\.\d+\.\d+(\.\d+)?$/);
    }
  });

  it('builds the receiver and the demo from the Dockerfile, running the documented commands', () => {
    const { receiver, demo } = resolved.services;
    expect(receiver?.build?.context).toBe(ROOT);
    expect(demo?.image).toBe(receiver?.image);
    expect(receiver?.command).toEqual(['run', '--clickhouse-url', 'http://clickhouse:8123', '--metrics-host', '0.0.0.0', '--no-tui', '/logs']);
    expect(demo?.command).toEqual(['demo', '--output', '/logs/access.log']);
    // The demo writes into the volume the receiver follows.
    expect(demo?.volumes).toContain('logs:/logs:rw');
    expect(receiver?.volumes).toContain('logs:/logs:ro');
  });

  it('checks the health of every long-running service at its documented endpoint', () => {
    const endpoints: Record<string, string> = {
      clickhouse: ':8123/ping',
      receiver: ':9464/readyz',
      prometheus: ':9090/-/ready',
      alertmanager: ':9093/-/ready',
      grafana: ':3000/api/health',
    };
    for (const name of LONG_RUNNING) {
      const test = resolved.services[name]?.healthcheck?.test.join(' ') ?? '';
      expect(test, `${name} health check`).toContain(endpoints[name]);
    }
  });

  it('starts each service only after what it needs is healthy', () => {
    const needs: Record<string, string[]> = {
      receiver: ['clickhouse'],
      prometheus: ['alertmanager', 'receiver'],
      grafana: ['alertmanager', 'clickhouse', 'prometheus'],
    };
    for (const [name, deps] of Object.entries(needs)) {
      const dependsOn = resolved.services[name]?.depends_on ?? {};
      expect(Object.keys(dependsOn).sort(), name).toEqual(deps);
      for (const dep of deps) expect(dependsOn[dep]?.condition, `${name} → ${dep}`).toBe('service_healthy');
    }
  });

  it('publishes only Grafana on the host', () => {
    const published = Object.entries(resolved.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name]) => name)).toEqual(['grafana']);
  });

  it('keeps every service\'s data in a named volume', () => {
    expect(Object.keys(resolved.volumes ?? {}).sort()).toEqual(
      ['alertmanager-data', 'clickhouse-data', 'grafana-data', 'logs', 'prometheus-data', 'receiver-data'].sort(),
    );
  });

  it('initialises ClickHouse with the repository schema and wires Grafana to the provisioning', () => {
    const { clickhouse, grafana, prometheus, alertmanager } = resolved.services;
    expect(clickhouse?.volumes).toContain(`${ROOT}/clickhouse/schema.sql:/docker-entrypoint-initdb.d/schema.sql:ro`);
    expect(grafana?.volumes).toContain(`${ROOT}/grafana/provisioning:/etc/grafana/provisioning:ro`);
    expect(grafana?.volumes).toContain(`${ROOT}/grafana/dashboards:/var/lib/grafana/dashboards:ro`);
    expect(prometheus?.volumes).toContain(`${ROOT}/prometheus:/etc/prometheus:ro`);
    expect(alertmanager?.volumes).toContain(`${ROOT}/alertmanager:/etc/alertmanager:ro`);
    expect(grafana?.environment?.['GF_INSTALL_PLUGINS']).toMatch(/^grafana-clickhouse-datasource \d+\.\d+\.\d+$/);
    // The provisioning file reads the credentials from Grafana's environment.
    expect(grafana?.environment?.['CLICKHOUSE_USER']).toBe(clickhouse?.environment?.['CLICKHOUSE_USER']);
    expect(grafana?.environment?.['CLICKHOUSE_PASSWORD']).toBe(clickhouse?.environment?.['CLICKHOUSE_PASSWORD']);
  });

  it('keeps secrets out of the repository: .env is git-ignored and compose.yaml holds no password', () => {
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toContain('.env');
    const text = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    expect(text).not.toMatch(/change-me/);
    expect(text).not.toMatch(/PASSWORD:\s+[^$\s]/);
  });

  it('documents in .env.example every variable compose.yaml requires', () => {
    const required = new Set(
      [...readFileSync(join(ROOT, 'compose.yaml'), 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1] ?? ''),
    );
    const documented = new Set(
      readFileSync(join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^(\w+)=/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect(required.size).toBeGreaterThanOrEqual(3);
    for (const name of required) expect(documented.has(name), `${name} in .env.example`).toBe(true);
  });
});
