import { selectedCondition } from './clickhouse_variables.js';
import { browserFamilySql, osFamilySql, visitorKindSql } from './user_agent_sql.js';

/**
 * The SQL of the site report: the questions GoAccess's report answers, over the HTTP events of the
 * dashboard range in ClickHouse. Every query reads `FINAL`, so a line delivered twice (a re-read after
 * a crash) counts once even before ClickHouse merges it away; README "Full stack" has its cost.
 * A visitor is GoAccess's: one client address with one user agent on one day.
 */
export const HTTP_EVENTS =
  "FROM logpulse.events FINAL WHERE $__timeFilter(ts) AND kind = 'http' AND " +
  `${selectedCondition('source', 'source')} AND ${selectedCondition('vhost', 'vhost')}`;

/** GoAccess's unique visitor key. */
export const VISITORS = 'uniqExact(toDate(ts), client, user_agent)';

export const TOTALS_SQL = `SELECT count() AS requests, ${VISITORS} AS visitors, sum(bytes) AS bytes ${HTTP_EVENTS}`;

export const VISITORS_PER_DAY_SQL =
  `SELECT toDate(ts) AS day, uniqExact(client, user_agent) AS visitors, count() AS requests, sum(bytes) AS bytes ` +
  `${HTTP_EVENTS} GROUP BY day ORDER BY day`;

export const TOP_PATHS_SQL =
  `SELECT path, count() AS hits, ${VISITORS} AS visitors, sum(bytes) AS bytes ${HTTP_EVENTS} ` +
  'GROUP BY path ORDER BY hits DESC, path LIMIT 100';

export const TOP_404_SQL =
  `SELECT path, count() AS hits, ${VISITORS} AS visitors ${HTTP_EVENTS} AND status = 404 ` +
  'GROUP BY path ORDER BY hits DESC, path LIMIT 100';

/** duration_ms is 0 where the log has no request time (combined without $request_time, CLF). */
function slowestBy(column: string): string {
  return (
    `SELECT ${column}, count() AS timed_hits, quantileExact(0.5)(duration_ms) AS p50_ms, ` +
    `quantileExact(0.95)(duration_ms) AS p95_ms, max(duration_ms) AS max_ms ${HTTP_EVENTS} AND duration_ms > 0 ` +
    `GROUP BY ${column} ORDER BY p95_ms DESC, ${column} LIMIT 50`
  );
}

export const SLOWEST_SECTIONS_SQL = slowestBy('section');
export const SLOWEST_PATHS_SQL = slowestBy('path');

export const BANDWIDTH_PER_SECTION_SQL =
  `SELECT section, sum(bytes) AS bytes, count() AS hits ${HTTP_EVENTS} GROUP BY section ORDER BY bytes DESC, section LIMIT 50`;

export const REFERRING_SITES_SQL =
  `SELECT domain(referer) AS site, count() AS hits, ${VISITORS} AS visitors ${HTTP_EVENTS} AND domain(referer) != '' ` +
  'GROUP BY site ORDER BY hits DESC, site LIMIT 100';

export const VIRTUAL_HOSTS_SQL =
  `SELECT if(vhost = '', '(none in the log)', vhost) AS virtual_host, count() AS hits, ${VISITORS} AS visitors, ` +
  `sum(bytes) AS bytes ${HTTP_EVENTS} GROUP BY virtual_host ORDER BY hits DESC, virtual_host LIMIT 100`;

export const STATUS_OVER_TIME_SQL =
  `SELECT $__timeInterval(ts) AS time, toString(status) AS status, count() AS hits ${HTTP_EVENTS} ` +
  'GROUP BY time, status ORDER BY time, status';

/**
 * Requests and visitors per distinct user agent of the range, classified once per user agent rather
 * than once per row: the pattern lists are long, the distinct user agents few.
 */
function perUserAgent(columns: string): string {
  return (
    `SELECT ${columns} FROM (SELECT user_agent, count() AS hits, ${VISITORS} AS visitors ${HTTP_EVENTS} ` +
    'GROUP BY user_agent)'
  );
}

export const CRAWLER_SHARE_SQL = perUserAgent(
  `sumIf(hits, ${visitorKindSql('user_agent')} != 'human') / sum(hits) AS crawler_share`,
);

export const VISITOR_KINDS_SQL =
  `SELECT kind, sum(hits) AS requests, sum(visitors) AS visitors FROM (${perUserAgent(
    `${visitorKindSql('user_agent')} AS kind, hits, visitors`,
  )}) GROUP BY kind ORDER BY requests DESC, kind`;

export const NAMED_CRAWLERS_SQL =
  `SELECT crawler, kind, sum(hits) AS requests FROM (${perUserAgent(
    `${browserFamilySql('user_agent')} AS crawler, ${visitorKindSql('user_agent')} AS kind, hits`,
  )}) WHERE kind != 'human' GROUP BY crawler, kind ORDER BY requests DESC, crawler LIMIT 100`;

function familyOf(name: string, familySql: string): string {
  return (
    `SELECT ${name}, sum(hits) AS requests, sum(visitors) AS visitors FROM (${perUserAgent(
      `${familySql} AS ${name}, ${visitorKindSql('user_agent')} AS kind, hits, visitors`,
    )}) WHERE kind = 'human' GROUP BY ${name} ORDER BY visitors DESC, ${name} LIMIT 50`
  );
}

/** Browsers and operating systems of the people (bots left out): visitors add up, a user agent is part of the key. */
export const BROWSERS_SQL = familyOf('browser', browserFamilySql('user_agent'));
export const OPERATING_SYSTEMS_SQL = familyOf('os', osFamilySql('user_agent'));
