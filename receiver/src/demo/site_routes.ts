import { type Prng, WeightedTable } from './prng.js';

/**
 * The requests of the demo web site: a weighted set of sections, each with its deeper paths,
 * methods, statuses and response sizes. Static files dominate, the API is busy, the admin pages
 * are rare and refuse anonymous visitors, and a scanner probes for files that do not exist.
 */

export interface DemoRequest {
  method: string;
  /** Request target, with a query string sometimes. */
  path: string;
  status: number;
  /** Body bytes sent: 0 for 304, 204 and HEAD, as nginx logs `$body_bytes_sent`. */
  bytes: number;
  /** True for API calls (no referer). */
  api: boolean;
}

type Route = (prng: Prng, request: DemoRequest, authenticated: boolean) => void;

const SEARCH_TERMS = ['pricing', 'invoice', 'sftp+setup', 'reset+password', 'api+token', 'grafana', 'export+csv'];
const BLOG_SLUGS = ['rotating-logs-safely', 'two-minute-averages', 'sftp-quotas', 'clickhouse-ttl', 'release-notes'];
const STATIC_FILES = [
  '/static/css/main.3f9a1c.css',
  '/static/js/app.8c2d41.js',
  '/static/js/vendor.1b7e90.js',
  '/static/fonts/inter-var.woff2',
];
const PROBES = ['/wp-login.php', '/.env', '/phpmyadmin/index.php', '/.git/config', '/cgi-bin/luci'];

/** Mostly 200, some 304 when the client has the file cached, a few 404 and 5xx. */
const PAGE_STATUS = new WeightedTable<number>([[200, 90], [304, 4], [404, 3], [500, 2], [503, 1]]);
const ASSET_STATUS = new WeightedTable<number>([[200, 70], [304, 27], [404, 3]]);
const API_STATUS = new WeightedTable<number>([[200, 80], [400, 5], [401, 4], [404, 5], [429, 2], [500, 2], [502, 1], [503, 1]]);

function page(prng: Prng, request: DemoRequest, path: string, minBytes: number, maxBytes: number): void {
  request.method = prng.chance(0.02) ? 'HEAD' : 'GET';
  request.path = path;
  request.status = PAGE_STATUS.pick(prng);
  request.bytes = sizeFor(prng, request, minBytes, maxBytes);
}

function sizeFor(prng: Prng, request: DemoRequest, minBytes: number, maxBytes: number): number {
  if (request.status === 304 || request.status === 204 || request.method === 'HEAD') return 0;
  if (request.status >= 400) return prng.between(150, 600);
  return prng.logBetween(minBytes, maxBytes);
}

const home: Route = (prng, r) => page(prng, r, prng.chance(0.9) ? '/' : '/index.html', 6_000, 14_000);

const pages: Route = (prng, r) => {
  const id = prng.between(1, 480);
  const roll = prng.next();
  if (roll < 0.12) {
    // A form post answers with a redirect to the page it created or saved.
    r.method = 'POST';
    r.path = prng.chance(0.5) ? '/pages/create' : `/pages/${id}/edit`;
    r.status = prng.chance(0.9) ? 302 : 422;
    r.bytes = r.status === 302 ? 0 : prng.between(3_000, 6_000);
    return;
  }
  const path =
    roll < 0.3 ? '/pages' : roll < 0.45 ? `/pages?page=${prng.between(2, 12)}` : roll < 0.55 ? `/pages/create?id=${id}` : `/pages/${id}`;
  page(prng, r, path, 3_000, 40_000);
};

const api: Route = (prng, r) => {
  r.api = true;
  const id = prng.between(1000, 99_999);
  const roll = prng.next();
  if (roll < 0.55) {
    r.method = 'GET';
    r.path = prng.pick([`/api/v1/orders/${id}`, '/api/v1/users/me', `/api/v1/orders?limit=50&offset=${prng.int(20) * 50}`, '/api/v1/health']);
  } else if (roll < 0.8) {
    r.method = 'POST';
    r.path = prng.pick(['/api/v1/orders', '/api/v1/events', '/api/v1/sessions']);
  } else if (roll < 0.92) {
    r.method = prng.chance(0.5) ? 'PUT' : 'PATCH';
    r.path = `/api/v1/orders/${id}`;
  } else {
    r.method = 'DELETE';
    r.path = `/api/v1/orders/${id}`;
  }
  const status = API_STATUS.pick(prng);
  r.status = status !== 200 ? status : r.method === 'POST' ? 201 : r.method === 'DELETE' ? 204 : 200;
  r.bytes = sizeFor(prng, r, 40, 24_000);
};

const staticFile: Route = (prng, r) => {
  r.method = 'GET';
  r.path = prng.pick(STATIC_FILES);
  r.status = ASSET_STATUS.pick(prng);
  r.bytes = sizeFor(prng, r, 2_000, 260_000);
};

const images: Route = (prng, r) => {
  r.method = 'GET';
  const roll = prng.next();
  r.path =
    roll < 0.3 ? '/images/logo.svg' : roll < 0.8 ? `/images/products/${prng.between(1, 900)}.jpg` : `/images/banners/winter-${prng.between(1, 6)}.webp`;
  r.status = ASSET_STATUS.pick(prng);
  r.bytes = sizeFor(prng, r, 1_500, 900_000);
};

const login: Route = (prng, r) => {
  if (prng.chance(0.45)) {
    // Failed logins show the form again with 200 in many apps; here they answer 401.
    r.method = 'POST';
    r.path = '/login';
    r.status = prng.chance(0.8) ? 302 : 401;
    r.bytes = r.status === 302 ? 0 : prng.between(2_000, 2_600);
    return;
  }
  page(prng, r, prng.chance(0.85) ? '/login' : '/login?next=%2Fadmin', 2_000, 3_000);
};

const admin: Route = (prng, r, authenticated) => {
  r.method = 'GET';
  r.path = prng.pick(['/admin', '/admin/users', '/admin/settings', '/admin/reports?month=2026-10']);
  r.status = authenticated ? (prng.chance(0.97) ? 200 : 500) : prng.chance(0.6) ? 401 : 403;
  r.bytes = sizeFor(prng, r, 5_000, 60_000);
};

const search: Route = (prng, r) => {
  const term = prng.pick(SEARCH_TERMS);
  page(prng, r, prng.chance(0.8) ? `/search?q=${term}` : `/search?q=${term}&page=${prng.between(2, 5)}`, 4_000, 30_000);
};

const blog: Route = (prng, r) =>
  page(prng, r, prng.chance(0.3) ? '/blog' : `/blog/2026/${prng.between(1, 11)}/${prng.pick(BLOG_SLUGS)}`, 8_000, 60_000);

const favicon: Route = (prng, r) => {
  r.method = 'GET';
  r.path = '/favicon.ico';
  r.status = ASSET_STATUS.pick(prng);
  r.bytes = sizeFor(prng, r, 4_286, 4_286);
};

const robotsTxt: Route = (prng, r) => page(prng, r, '/robots.txt', 120, 120);

const probe: Route = (prng, r) => {
  r.method = prng.chance(0.8) ? 'GET' : 'POST';
  r.path = prng.pick(PROBES);
  r.status = 404;
  r.bytes = prng.between(150, 600);
};

const ROUTES = new WeightedTable<Route>([
  [home, 8],
  [pages, 14],
  [api, 16],
  [staticFile, 22],
  [images, 14],
  [login, 5],
  [admin, 3],
  [search, 6],
  [blog, 6],
  [favicon, 3],
  [probe, 2],
]);

const scratch: DemoRequest = { method: 'GET', path: '/', status: 200, bytes: 0, api: false };

/**
 * One request of a visitor. The returned object is reused by the next call (this runs a million
 * times for the benchmark file): read it before asking for another.
 */
export function pickRequest(prng: Prng, authenticated: boolean, robot: boolean): DemoRequest {
  scratch.api = false;
  const route = robot && prng.chance(0.3) ? robotsTxt : ROUTES.pick(prng);
  route(prng, scratch, authenticated);
  return scratch;
}
