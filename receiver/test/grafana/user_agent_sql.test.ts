import { readFileSync } from 'node:fs';
import { isbot } from 'isbot';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFamilySql, isBotSql, osFamilySql, visitorKindSql } from '../../../grafana/src/user_agent_sql.js';

/**
 * The user-agent SQL the dashboards use, run on ClickHouse 26 (chDB) over real user agents of web
 * servers' logs (receiver/test/fixtures/grafana/user_agents.txt), compared with the isbot library
 * whose pattern list it is generated from.
 */
const AGENTS = readFileSync(new URL('../fixtures/grafana/user_agents.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

describe('user-agent classification in SQL', () => {
  let session: Session;
  let rows: Array<{ ua: string; bot: number; kind: string; browser: string; os: string }>;

  beforeAll(() => {
    session = new Session();
    const sql =
      `SELECT ua, ${isBotSql('ua')} AS bot, ${visitorKindSql('ua')} AS kind, ${browserFamilySql('ua')} AS browser, ` +
      `${osFamilySql('ua')} AS os FROM (SELECT arrayJoin({agents:Array(String)}) AS ua)`;
    rows = session
      .queryBind(sql, { agents: AGENTS }, 'JSONEachRow')
      .toString()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { ua: string; bot: number; kind: string; browser: string; os: string });
  });

  afterAll(() => session?.close());

  it('calls a bot exactly what isbot calls a bot, lookaround patterns included', () => {
    expect(rows.map((r) => r.ua)).toEqual(AGENTS);
    const differ = rows.filter((r) => Boolean(r.bot) !== isbot(r.ua)).map((r) => r.ua);
    expect(differ).toEqual([]);
    // Both sides of each lookaround are in the fixture: Google's app and news reader are people.
    expect(rows.filter((r) => r.bot === 1).length).toBeGreaterThan(15);
    expect(rows.filter((r) => r.bot === 0).length).toBeGreaterThan(10);
  });

  it('puts the named AI crawlers in a category of their own', () => {
    const ai = rows.filter((r) => r.kind === 'AI crawler').map((r) => /GPTBot|ChatGPT-User|ClaudeBot|CCBot|PerplexityBot|Bytespider|Amazonbot|meta-externalagent/.exec(r.ua)?.[0]);
    expect(ai).toEqual(['GPTBot', 'ChatGPT-User', 'ClaudeBot', 'CCBot', 'PerplexityBot', 'Bytespider', 'Amazonbot', 'meta-externalagent']);
    expect(rows.find((r) => r.ua.includes('Googlebot'))?.kind).toBe('bot');
    expect(rows[0]?.kind).toBe('human');
  });

  it('names browsers and operating systems as uap-core does', () => {
    const byUa = (fragment: string): { browser: string; os: string } | undefined => rows.find((r) => r.ua.includes(fragment));
    expect(byUa('Edg/131')).toMatchObject({ browser: 'Edge', os: 'Windows' });
    expect(byUa('Firefox/133.0')).toMatchObject({ browser: 'Firefox', os: 'Linux' });
    expect(byUa('iPhone OS 18_1_1')).toMatchObject({ browser: 'Mobile Safari', os: 'iOS' });
    expect(byUa('SM-S918B')).toMatchObject({ browser: 'Chrome Mobile', os: 'Android' });
    expect(byUa('OPR/115')).toMatchObject({ browser: 'Opera' });
    expect(byUa('Googlebot/2.1; +http://www.google.com/bot.html)')?.browser).toBe('Googlebot');
    expect(rows.every((r) => r.browser !== '' && r.os !== '')).toBe(true);
  });
});
