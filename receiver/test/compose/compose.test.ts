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
  entrypoint?: string[];
  build?: { context: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: unknown[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

interface ResolvedCompose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The environment without the stack's variables, so only the env file given decides them. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(CLICKHOUSE_|GRAFANA_|LOGPULSE_|DEMO_)/.test(key)) delete env[key];
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

/**
 * The oldest version of each image the stack may deploy: ClickHouse on the embedded engine's major
 * line and LTS (chDB is ClickHouse 26.7; 26.8 is the LTS after it), Prometheus on the 3.13 LTS (the 3.5
 * LTS's support ended in July 2026), Alertmanager 0.32, Grafana 13.2.1 (the 2026 advisories fixed, the
 * last of them CVE-2026-12704 and CVE-2026-14199), the ClickHouse plugin 4.20.
 */
const MINIMUM_VERSIONS: Record<string, string> = {
  'clickhouse/clickhouse-server': '26.8.20.9',
  'prom/prometheus': '3.13.2',
  'prom/alertmanager': '0.32.1',
  'grafana/grafana': '13.2.1',
  'grafana-clickhouse-datasource': '4.20.0',
};

/** Compares dotted versions numerically (a missing part counts as 0): negative when a < b. */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

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
      stderr: expect.stringMatching(/set CLICKHOUSE_\w+ in \.env/),
    });
  });

  it('defines the whole stack', () => {
    expect(Object.keys(resolved.services).sort()).toEqual(
      ['alertmanager', 'clickhouse', 'demo', 'grafana', 'prometheus', 'receiver', 'web-2'].sort(),
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
            expect(tag, `${name}: ${image} is pinned to a version`).toMatch(/^v?\d+\.\d+(\.\d+){0,2}$/);
    }
  });

  it('deploys images at least as new as the supported versions chosen', () => {
    const deployed = new Map<string, string>();
    for (const service of Object.values(resolved.services)) {
      const match = /^(.+):([^/:]+)$/.exec(service.image ?? '');
      if (match?.[1] !== undefined && match[2] !== undefined) deployed.set(match[1], match[2]);
    }
    const plugin = /^grafana-clickhouse-datasource@(\S+)$/.exec(resolved.services['grafana']?.environment?.['GF_PLUGINS_PREINSTALL_SYNC'] ?? '');
    if (plugin?.[1] !== undefined) deployed.set('grafana-clickhouse-datasource', plugin[1]);
    for (const [image, minimum] of Object.entries(MINIMUM_VERSIONS)) {
      const version = deployed.get(image);
      expect(version, `${image} is deployed`).toBeDefined();
      expect(compareVersions(version ?? '0', minimum), `${image}:${String(version)} >= ${minimum}`).toBeGreaterThanOrEqual(0);
    }
    expect(compareVersions('26.3', '25.8.3.66')).toBeGreaterThan(0);
    expect(compareVersions('v3.5.0', '3.8.0')).toBeLessThan(0);
  });

  it('builds the receiver and the demo from the Dockerfile, running the documented commands', () => {
    const { receiver, demo } = resolved.services;
    expect(receiver?.build?.context).toBe(ROOT);
    expect(demo?.image).toBe(receiver?.image);
    expect(receiver?.command).toEqual(['run', '--clickhouse-url', 'http://clickhouse:8123', '--metrics-host', '0.0.0.0', '--otlp-port', '4318', '--otlp-host', '0.0.0.0', '--no-tui', '/logs']);
    // The demo writes through compose/demo_rotating.sh, which rotates its log (demo_rotation.test.ts).
    expect(demo?.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/demo_rotating.sh']);
    expect(demo?.volumes).toContain(`${ROOT}/compose/demo_rotating.sh:/usr/local/bin/demo_rotating.sh:ro`);
    expect(demo?.environment?.['DEMO_LOG']).toBe('/logs/access.log');
    expect(Number(demo?.environment?.['DEMO_ROTATE_SECONDS'])).toBeGreaterThan(0);
    // The demo writes into the volume the receiver follows.
    expect(demo?.volumes).toContain('logs:/logs:rw');
    expect(receiver?.volumes).toContain('logs:/logs:ro');
  });

  it('opens the receiver\'s OTLP port with the ingest token of .env, and ships a second web server\'s log to it in the multi profile', async () => {
    const { receiver } = resolved.services;
    const web2 = resolved.services['web-2'] as Service & { profiles?: string[] };
    expect(receiver?.environment?.['LOGPULSE_INGEST_TOKEN']).toBe('change-me-ingest-token');
    expect(web2.profiles).toEqual(['multi']);
    expect(web2.image).toBe(receiver?.image);
    expect(web2.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/web_server.sh']);
    expect(web2.volumes).toContain(`${ROOT}/compose/web_server.sh:/usr/local/bin/web_server.sh:ro`);
    expect(web2.volumes).toContain(`${ROOT}/compose/demo_rotating.sh:/usr/local/bin/demo_rotating.sh:ro`);
    // The agent sends to the receiver's OTLP port with the same token, and keeps its checkpoints in a volume.
    expect(web2.environment?.['SHIP_TO']).toBe('http://receiver:4318');
    expect(web2.environment?.['LOGPULSE_SHIP_TOKEN']).toBe(receiver?.environment?.['LOGPULSE_INGEST_TOKEN']);
    expect(web2.volumes?.some((v) => v.startsWith('web-2-data:') && v.includes(web2.environment?.['SHIP_DATA_DIR'] ?? '?'))).toBe(true);
    // What the script runs: the demo writer and the agent on the writer's folder, the token never on the command line.
    const script = readFileSync(join(ROOT, 'compose/web_server.sh'), 'utf8');
    expect(script).toMatch(/\$LOGPULSE ship --to "\$\{SHIP_TO:\?\}" --source "\$\{SHIP_SOURCE:-web-2\}" --data-dir "\$\{SHIP_DATA_DIR:-[^}]+\}" --status off "\$LOG_DIR"/);
    expect(script).not.toMatch(/--token/);
    // A stack started without the profile runs without it.
    const { stdout } = await compose(join(ROOT, '.env.example'), 'config', '--services');
    expect(stdout.split('\n')).toContain('web-2');
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

  it('tells Grafana the Prometheus version the stack deploys', () => {
    const provisioning = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
      datasources: Array<{ type: string; jsonData?: { prometheusVersion?: string } }>;
    };
    const declared = provisioning.datasources.find((d) => d.type === 'prometheus')?.jsonData?.prometheusVersion;
    const deployed = /:v?([^/:]+)$/.exec(resolved.services['prometheus']?.image ?? '')?.[1];
    expect(declared).toBe(deployed);
  });

  it('makes a service wait only for what it cannot work without, and nothing for a healthy receiver', () => {
    // The receiver migrates the schema at start-up; Grafana's ClickHouse dashboards read it. Prometheus
    // and Alertmanager must run even when the receiver never becomes healthy: they report it down.
    const needs: Record<string, string[]> = {
      clickhouse: [],
      receiver: ['clickhouse'],
      demo: [],
      prometheus: [],
      alertmanager: [],
      grafana: ['clickhouse'],
      // The agent waits for the receiver by itself (it retries until its lines are stored).
      'web-2': [],
    };
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(needs).sort());
    for (const [name, deps] of Object.entries(needs)) {
      const dependsOn = resolved.services[name]?.depends_on ?? {};
      expect(Object.keys(dependsOn).sort(), name).toEqual(deps);
      for (const dep of deps) expect(dependsOn[dep]?.condition, `${name} → ${dep}`).toBe('service_healthy');
    }
    const waitingOnReceiver = Object.entries(resolved.services).filter(([, s]) => s.depends_on?.['receiver'] !== undefined);
    expect(waitingOnReceiver.map(([name]) => name)).toEqual([]);
  });

  it('gives the receiver the time of its clean stop before Docker kills it', () => {
    // Sources stop within 10 s (syslog's wait for the pipeline), the sink's last inserts get 10 s,
    // the metrics' last export 5 s: 25 s at worst, while Docker's default is 10 s.
    const grace = resolved.services['receiver']?.stop_grace_period ?? '10s';
    const match = /^(\d+)s$/.exec(grace);
    expect(match, grace).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(25);
  });

  it('publishes only Grafana on the host', () => {
    const published = Object.entries(resolved.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name]) => name)).toEqual(['grafana']);
  });

  it('keeps every service\'s data in a named volume', () => {
    expect(Object.keys(resolved.volumes ?? {}).sort()).toEqual(
      ['alertmanager-data', 'clickhouse-data', 'grafana-data', 'logs', 'prometheus-data', 'receiver-data', 'web-2-data', 'web-2-logs'].sort(),
    );
  });

  it('initialises ClickHouse with the repository schema and wires Grafana to the provisioning', () => {
    const { clickhouse, grafana, prometheus, alertmanager } = resolved.services;
    expect(clickhouse?.volumes).toContain(`${ROOT}/clickhouse/schema.sql:/docker-entrypoint-initdb.d/schema.sql:ro`);
    // The init runs its folder in name order: the schema, the users, then the logs view.
    const init = (clickhouse?.volumes ?? []).filter((v) => v.includes(':/docker-entrypoint-initdb.d/')).map((v) => v.split(':')[1] ?? '');
    expect(init).toEqual([...init].sort());
    expect(init.map((p) => p.slice('/docker-entrypoint-initdb.d/'.length))).toEqual(['schema.sql', 'users.sh', 'views.sql']);
    expect(clickhouse?.volumes).toContain(`${ROOT}/clickhouse/users.sql:/etc/logpulse/users.sql:ro`);
    expect(grafana?.volumes).toContain(`${ROOT}/grafana/provisioning:/etc/grafana/provisioning:ro`);
    expect(grafana?.volumes).toContain(`${ROOT}/grafana/dashboards:/var/lib/grafana/dashboards:ro`);
    expect(prometheus?.volumes).toContain(`${ROOT}/prometheus:/etc/prometheus:ro`);
    expect(alertmanager?.volumes).toContain(`${ROOT}/alertmanager:/etc/alertmanager:ro`);
    // Grafana 12 deprecates GF_INSTALL_PLUGINS; preinstall_sync installs before provisioning runs.
    expect(grafana?.environment?.['GF_INSTALL_PLUGINS']).toBeUndefined();
    expect(grafana?.environment?.['GF_PLUGINS_PREINSTALL_SYNC']).toMatch(/^grafana-clickhouse-datasource@\d+\.\d+\.\d+$/);
    // The provisioning file reads the credentials from Grafana's environment: the read-only user's.
    const { receiver } = resolved.services;
    expect(grafana?.environment?.['CLICKHOUSE_USER']).toBe('logpulse_grafana');
    expect(grafana?.environment?.['CLICKHOUSE_PASSWORD']).toBe(clickhouse?.environment?.['CLICKHOUSE_GRAFANA_PASSWORD']);
    expect(receiver?.environment?.['CLICKHOUSE_USER']).toBe('logpulse_receiver');
    expect(receiver?.environment?.['CLICKHOUSE_PASSWORD']).toBe(clickhouse?.environment?.['CLICKHOUSE_RECEIVER_PASSWORD']);
    // No service but the init logs in as the admin.
    const admin = clickhouse?.environment?.['CLICKHOUSE_USER'];
    expect(admin).toBe('logpulse_admin');
    for (const name of ['receiver', 'grafana']) expect(resolved.services[name]?.environment?.['CLICKHOUSE_USER']).not.toBe(admin);
    expect(new Set(['CLICKHOUSE_PASSWORD', 'CLICKHOUSE_RECEIVER_PASSWORD', 'CLICKHOUSE_GRAFANA_PASSWORD'].map((k) => clickhouse?.environment?.[k])).size).toBe(3);
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
