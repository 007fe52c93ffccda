import { documentationAddress } from './demo_addresses.js';
import { ClfTimeFormatter } from './log_time_format.js';
import type { LineGenerator } from './line_generator.js';
import { Prng, WeightedTable } from './prng.js';
import { pickRequest } from './site_routes.js';

/**
 * nginx "combined" access-log lines of a small web site:
 * `203.0.113.7 - alice [22/Nov/2026:10:00:00 +0000] "GET /pages/create?id=3 HTTP/1.1" 200 5123 "https://example.com/pages" "Mozilla/5.0 (...)"`.
 *
 * Clients are a fixed population drawn from the seed: each keeps its address, its user (most are
 * anonymous, `-`) and its browser, and a few of them make most of the requests, as on a real site.
 */

const SITE = 'https://example.com';

const BROWSERS = new WeightedTable<string>([
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 30],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 14],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 10],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 16],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 12],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 8],
]);

/** Clients that are not browsers: they never send a referer and never log in. */
const ROBOTS = new WeightedTable<string>([
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 4],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 2],
  ['curl/8.5.0', 2],
  ['python-requests/2.32.3', 2],
  ['Go-http-client/1.1', 1],
]);

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'james', 'mallory', 'oscar', 'peggy', 'trent'];

const EXTERNAL_REFERERS = new WeightedTable<string>([
  ['https://www.google.com/', 6],
  ['https://duckduckgo.com/', 2],
  ['https://www.bing.com/', 1],
  ['https://news.ycombinator.com/', 1],
  ['https://t.co/x7Kq2LmZpa', 1],
]);

const INTERNAL_REFERERS = ['/', '/pages', '/pages/create', '/search?q=pricing', '/blog', '/login', '/api/docs'];

interface Client {
  /** `address - user` as it starts a line. */
  prefix: string;
  userAgent: string;
  robot: boolean;
  authenticated: boolean;
}

function makeClient(prng: Prng): Client {
  const address = documentationAddress(prng, 0.1);
  const robot = prng.chance(0.12);
  const user = !robot && prng.chance(0.2) ? prng.pick(USERS) : '-';
  return {
    prefix: `${address} - ${user}`,
    userAgent: robot ? ROBOTS.pick(prng) : BROWSERS.pick(prng),
    robot,
    authenticated: user !== '-',
  };
}

export interface AccessLogGeneratorOptions {
  /** Seed of the pseudo-random sequence: the same seed gives the same lines. @default 1 */
  seed?: number;
  /** How many distinct clients visit the site. @default 200 */
  clientCount?: number;
}

export class AccessLogGenerator implements LineGenerator {
  private readonly prng: Prng;
  private readonly clients: Client[] = [];
  private readonly time = new ClfTimeFormatter();

  constructor(options: AccessLogGeneratorOptions = {}) {
    this.prng = new Prng(options.seed ?? 1);
    const count = options.clientCount ?? 200;
    for (let i = 0; i < count; i++) this.clients.push(makeClient(this.prng));
  }

  line(epochMs: number): string {
    const prng = this.prng;
    const client = this.clients[prng.skewed(this.clients.length)] as Client;
    const request = pickRequest(prng, client.authenticated, client.robot);
    const referer = client.robot || request.api ? '-' : this.referer();
    const protocol = prng.chance(0.3) ? 'HTTP/2.0' : 'HTTP/1.1';
    return (
      `${client.prefix} [${this.time.format(epochMs)}] "${request.method} ${request.path} ${protocol}" ` +
      `${request.status} ${request.bytes} "${referer}" "${client.userAgent}"`
    );
  }

  private referer(): string {
    const r = this.prng.next();
    if (r < 0.35) return '-';
    if (r < 0.55) return EXTERNAL_REFERERS.pick(this.prng);
    return SITE + this.prng.pick(INTERNAL_REFERERS);
  }
}
