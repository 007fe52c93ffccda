import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The users the compose init creates (clickhouse/init/users.sh running clickhouse/users.sql), checked on
 * ClickHouse 26 (chDB). chDB has no writable user directory, so CREATE USER cannot run in it and a
 * query cannot run as another user. The closest real checks, and what this file does:
 * - the script's output, every statement, passes ClickHouse 26's own parser (formatQuery);
 * - the init SQL's GRANTs and user settings are loaded into chDB's access control as users.xml
 *   users (the same GRANT text, in <grants>), and the engine's resolved grants (system.grants) are
 *   asserted: Grafana's user can only read logpulse, the receiver's cannot drop or truncate;
 * - a session with the Grafana user's setting (readonly = 2) has INSERT and DROP refused by the engine
 *   and still runs a dashboard query.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

const PASSWORDS = { CLICKHOUSE_RECEIVER_PASSWORD: 'receiver pass "quoted"', CLICKHOUSE_GRAFANA_PASSWORD: "grafana's secret" };

/** The SQL the init script sends to the server, with the passwords of `PASSWORDS`. */
async function initStatements(): Promise<string[]> {
  const { stdout } = await run('/bin/sh', [join(ROOT, 'clickhouse/init/users.sh')], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...PASSWORDS, LOGPULSE_USERS_SQL: join(ROOT, 'clickhouse/users.sql'), CLICKHOUSE_CLIENT: 'cat' },
  });
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

interface InitUser {
  name: string;
  grants: string[];
  settings: Record<string, string>;
}

/** Users of the init SQL: their GRANT statements (without `TO user`) and their SETTINGS. */
function usersOf(statements: string[]): InitUser[] {
  const users = new Map<string, InitUser>();
  for (const sql of statements) {
    const create = /^CREATE USER IF NOT EXISTS (\w+) [\s\S]*?(?:SETTINGS ([\s\S]+))?$/.exec(sql);
    if (create?.[1] !== undefined) {
      const settings: Record<string, string> = {};
      for (const pair of (create[2] ?? '').split(',').filter((p) => p.trim() !== '')) {
        const [key, value] = pair.split('=').map((s) => s.trim());
        if (key !== undefined && value !== undefined) settings[key] = value;
      }
      users.set(create[1], { name: create[1], grants: [], settings });
      continue;
    }
    const grant = /^(GRANT [\s\S]+) TO (\w+)$/.exec(sql);
    if (grant?.[1] !== undefined && grant[2] !== undefined) users.get(grant[2])?.grants.push(grant[1]);
  }
  return [...users.values()];
}

function usersXml(users: InitUser[]): string {
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const profiles = users.map((u) => `<${u.name}>${Object.entries(u.settings).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</${u.name}>`);
  const entries = users.map(
    (u) =>
      `<${u.name}><password>x</password><networks><ip>::1</ip></networks><profile>${u.name}</profile><quota>default</quota>` +
      `<grants>${u.grants.map((g) => `<query>${escape(g)}</query>`).join('')}</grants></${u.name}>`,
  );
  return (
    `<clickhouse><profiles><default/>${profiles.join('')}</profiles><quotas><default/></quotas><users>` +
    '<default><password></password><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota>' +
    `<access_management>1</access_management></default>${entries.join('')}</users></clickhouse>`
  );
}

describe('ClickHouse users of the compose init', () => {
  let dir: string;
  let session: Session;
  let statements: string[];
  const query = (sql: string): string => session.query(sql, 'TSV').toString();

  beforeAll(async () => {
    statements = await initStatements();
    dir = await mkdtemp(join(tmpdir(), 'logpulse-users-'));
    await writeFile(join(dir, 'users.xml'), usersXml(usersOf(statements)));
    await writeFile(join(dir, 'config.xml'), `<clickhouse><users_config>${join(dir, 'users.xml')}</users_config></clickhouse>`);
    session = new Session(join(dir, 'data'), { connectionArgs: [`--config-file=${join(dir, 'config.xml')}`] });
    session.query(readFileSync(join(ROOT, 'clickhouse/schema.sql'), 'utf8'));
  });

  afterAll(async () => {
    session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends statements ClickHouse 26 parses, with password hashes and no password', () => {
    expect(statements.length).toBe(4);
    for (const sql of statements) {
      const formatted = session.queryBind('SELECT formatQuery({sql:String})', { sql }, 'TSV').toString();
      expect(formatted, sql).toMatch(/^(CREATE USER|GRANT)/);
    }
    const text = statements.join('\n');
    for (const password of Object.values(PASSWORDS)) expect(text).not.toContain(password);
    expect(text).toMatch(/logpulse_receiver IDENTIFIED WITH sha256_hash BY '[0-9a-f]{64}'/);
    expect(text).toMatch(/logpulse_grafana IDENTIFIED WITH sha256_hash BY '[0-9a-f]{64}'/);
  });

  it('lets Grafana\'s user read logpulse and nothing else', () => {
    const grants = query("SELECT access_type, database, table FROM system.grants WHERE user_name = 'logpulse_grafana' ORDER BY toString(access_type)");
    expect(grants.trim().split('\n')).toEqual(['SELECT\tlogpulse\t\\N', 'SHOW\tlogpulse\t\\N']);
    expect(usersOf(statements).find((u) => u.name === 'logpulse_grafana')?.settings).toEqual({ readonly: '2' });
  });

  it('lets the receiver\'s user insert and migrate within logpulse, never drop, truncate or delete', () => {
    const grants = query("SELECT DISTINCT access_type FROM system.grants WHERE user_name = 'logpulse_receiver' AND database = 'logpulse' ORDER BY toString(access_type)")
      .trim()
      .split('\n');
    expect(grants).toEqual(['ALTER ADD COLUMN', 'ALTER ORDER BY', 'ALTER SETTINGS', 'ALTER TTL', 'CREATE DATABASE', 'CREATE TABLE', 'INSERT', 'SELECT', 'SHOW']);
    expect(query("SELECT count() FROM system.grants WHERE user_name = 'logpulse_receiver' AND (database IS NULL OR database != 'logpulse')").trim()).toBe('0');
    // What each grant covers, as the engine expands it: no DROP or TRUNCATE anywhere.
    const shown = query('SHOW GRANTS FOR logpulse_receiver');
    expect(shown).not.toMatch(/DROP|TRUNCATE|DELETE|UPDATE|ALTER TABLE|ALTER COLUMN/);
  });

  it('refuses INSERT and DROP with the Grafana user\'s readonly = 2 and still answers a dashboard query', async () => {
    const grafana = new Session(join(dir, 'data'));
    try {
      grafana.query('SET readonly = 2');
      const refused = (sql: string): string => {
        try {
          grafana.query(sql);
          return 'accepted';
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      };
      expect(refused("INSERT INTO logpulse.events (event_id, raw) VALUES (1, 'x')")).toMatch(/readonly/);
      expect(refused('DROP DATABASE logpulse')).toMatch(/readonly/);
      expect(refused('TRUNCATE TABLE logpulse.events')).toMatch(/readonly/);
      expect(grafana.query('SELECT count() FROM logpulse.events FINAL', 'TSV').toString().trim()).toBe('0');
    } finally {
      grafana.close();
    }
    expect(query("SELECT count() FROM system.databases WHERE name = 'logpulse'").trim()).toBe('1');
  });
});
