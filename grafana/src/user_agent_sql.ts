import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { list as isbotPatterns } from 'isbot';
import { parse } from 'yaml';

/**
 * User-agent classification in ClickHouse SQL, generated from maintained pattern lists when the
 * dashboards are generated, so that no pattern is written by hand here:
 * - bots: the `isbot` package's pattern list (Unlicense), matched case-insensitively as isbot does;
 * - browsers and operating systems: uap-core's regexes.yaml (Apache-2.0), the list behind the ua-parser
 *   ports, first match wins, the family from its replacement or first group as the spec says.
 * ClickHouse's RE2 has no lookaround: the few isbot patterns that use one are rewritten mechanically
 * (see `lookaroundCondition`); user_agent.test.ts compares the SQL with isbot itself.
 */

/**
 * A ClickHouse string literal: backslashes and quotes escaped, and `$` written `\x24` (ClickHouse
 * reads it back as `$`), since Grafana takes `$name` anywhere in a query for a dashboard variable.
 */
export function sqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$/g, '\\x24')}'`;
}

const LOOKBEHIND = /^\(\?<!((?:[^()]|\([^()]*\))+)\)/;
const LOOKAHEAD = /\(\?!((?:[^()]|\([^()]*\))+)\)$/;

/**
 * An isbot pattern with a negative lookbehind at its start and/or a negative lookahead at its end,
 * as a condition RE2 can evaluate: the core matches, and neither the core preceded by the
 * lookbehind's text nor followed by the lookahead's text does. It differs from the JS pattern only
 * when one user agent holds the core both in an excluded and in an admitted context.
 */
export function lookaroundCondition(column: string, pattern: string): string {
  let core = pattern;
  const behind = LOOKBEHIND.exec(core);
  if (behind?.[1] !== undefined) core = core.slice(behind[0].length);
  const ahead = LOOKAHEAD.exec(core);
  if (ahead?.[1] !== undefined) core = core.slice(0, core.length - ahead[0].length);
  if (/\(\?<?[=!]/.test(core)) throw new Error(`user agents: isbot pattern ${pattern} has a lookaround inside it`);
  const parts = [`match(${column}, ${sqlString(`(?i)${core}`)})`];
  if (behind?.[1] !== undefined) parts.push(`NOT match(${column}, ${sqlString(`(?i)(?:${behind[1]})(?:${core})`)})`);
  if (ahead?.[1] !== undefined) parts.push(`NOT match(${column}, ${sqlString(`(?i)(?:${core})(?:${ahead[1]})`)})`);
  return `(${parts.join(' AND ')})`;
}

const HAS_LOOKAROUND = /\(\?<?[=!]/;

/** `1` when isbot's list calls the user agent in `column` a bot; an empty user agent is one (isbot too). */
export function isBotSql(column: string): string {
  const plain = isbotPatterns.filter((p) => !HAS_LOOKAROUND.test(p));
  const special = isbotPatterns.filter((p) => HAS_LOOKAROUND.test(p));
  const alternatives = [`match(${column}, ${sqlString(`(?i)${plain.map((p) => `(?:${p})`).join('|')}`)})`];
  for (const pattern of special) alternatives.push(lookaroundCondition(column, pattern));
  return `(${column} = '' OR ${alternatives.join(' OR ')})`;
}

/**
 * Named AI crawlers and AI assistants' fetchers, by the user-agent token their operators publish
 * (robots.txt tokens without a user agent of their own, such as Google-Extended, cannot appear in a log).
 */
export const AI_CRAWLERS: readonly string[] = [
  'GPTBot', 'ChatGPT-User', 'OAI-SearchBot', 'ClaudeBot', 'Claude-User', 'Claude-SearchBot', 'Claude-Web', 'anthropic-ai',
  'CCBot', 'PerplexityBot', 'Perplexity-User', 'Bytespider', 'Amazonbot', 'Applebot-Extended', 'meta-externalagent',
  'meta-externalfetcher', 'FacebookBot', 'cohere-ai', 'Diffbot', 'YouBot', 'AI2Bot', 'Timpibot', 'omgili', 'ImagesiftBot',
  'MistralAI-User', 'DuckAssistBot', 'Google-CloudVertexBot',
];

/** 'AI crawler', 'bot' or 'human' for the user agent in `column`. */
export function visitorKindSql(column: string): string {
  const ai = `match(${column}, ${sqlString(`(?i)(?:${AI_CRAWLERS.map((t) => t.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})`)})`;
  return `multiIf(${ai}, 'AI crawler', ${isBotSql(column)}, 'bot', 'human')`;
}

interface UapParser {
  regex: string;
  family_replacement?: string;
  os_replacement?: string;
}

interface UapRegexes {
  user_agent_parsers: UapParser[];
  os_parsers: UapParser[];
}

let uap: UapRegexes | undefined;

function uapRegexes(): UapRegexes {
  if (uap === undefined) {
    const path = createRequire(import.meta.url).resolve('uap-core/regexes.yaml');
    uap = parse(readFileSync(path, 'utf8')) as UapRegexes;
  }
  return uap;
}

/** uap-core's first-match rule over `parsers`: the replacement ($1 is the first group) or the first group. */
function firstMatchSql(column: string, parsers: readonly UapParser[], replacement: (p: UapParser) => string | undefined): string {
  const branches: string[] = [];
  for (const parser of parsers) {
    const regex = sqlString(parser.regex);
    const replace = replacement(parser);
    // `$1` is spliced in with concat: a `$` left in the SQL would read as a dashboard variable.
    const value =
      replace === undefined
        ? `extract(${column}, ${regex})`
        : replace.includes('$1')
          ? `concat(${replace.split('$1').map(sqlString).join(`, extract(${column}, ${regex}), `)})`
          : sqlString(replace);
    branches.push(`match(${column}, ${regex}), ${value}`);
  }
  return `multiIf(${branches.join(', ')}, 'Other')`;
}

/** The browser (or client) family of the user agent in `column`, as uap-core names it. */
export function browserFamilySql(column: string): string {
  return firstMatchSql(column, uapRegexes().user_agent_parsers, (p) => p.family_replacement);
}

/** The operating system family of the user agent in `column`, as uap-core names it. */
export function osFamilySql(column: string): string {
  return firstMatchSql(column, uapRegexes().os_parsers, (p) => p.os_replacement);
}
