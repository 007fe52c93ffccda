import { describe, expect, it } from 'vitest';
import { expandClickHouseSql, expandPromQl } from './grafana_macros.js';

/** The expansions the panel tests rely on, checked against what the plugins produce. */
const RANGE = { fromMs: 1_709_251_200_123, toMs: 1_709_337_599_999, intervalSeconds: 300 };

describe('Grafana query expansion', () => {
  it('expands the ClickHouse time macros as the plugin back end does', () => {
    expect(
      expandClickHouseSql(
        'SELECT $__timeInterval(ts) AS t, $__interval_s AS s FROM e WHERE $__timeFilter(ts) AND ts > $__fromTime AND ts < $__toTime',
        { ...RANGE, variables: {} },
      ),
    ).toBe(
      'SELECT toStartOfInterval(toDateTime(ts), INTERVAL 300 second) AS t, 300 AS s FROM e ' +
        'WHERE ts >= toDateTime(1709251200) AND ts <= toDateTime(1709337599) ' +
        'AND ts > toDateTime(1709251200) AND ts < toDateTime(1709337599)',
    );
  });

  it('never expands $__interval_s below one second', () => {
    expect(expandClickHouseSql('$__interval_s', { ...RANGE, intervalSeconds: 0.2, variables: {} })).toBe('1');
  });

  it('drops a conditional filter when All is selected and quotes the selected users otherwise', () => {
    const sql = "WHERE $__conditionalAll(user IN (${user:sqlstring}), $user) AND kind = 'http'";
    expect(expandClickHouseSql(sql, { ...RANGE, variables: { user: 'All' } })).toBe("WHERE 1=1 AND kind = 'http'");
    expect(expandClickHouseSql(sql, { ...RANGE, variables: { user: ['alice', "o'brien"] } })).toBe(
      "WHERE user IN ('alice','o''brien') AND kind = 'http'",
    );
  });

  it('formats a plain multi-value variable the way the ClickHouse plugin does', () => {
    expect(expandClickHouseSql('user IN ($user)', { ...RANGE, variables: { user: ['a', 'b'] } })).toBe("user IN ('a','b')");
    expect(expandClickHouseSql("user = '${user}'", { ...RANGE, variables: { user: ['a'] } })).toBe("user = 'a'");
  });

  it('refuses a macro or variable it does not know rather than letting it through', () => {
    expect(() => expandClickHouseSql('WHERE $__dateFilter(d)', { ...RANGE, variables: {} })).toThrow(/unexpanded \$__dateFilter/);
    expect(() => expandClickHouseSql('WHERE host = $host', { ...RANGE, variables: {} })).toThrow(/no value for dashboard variable \$host/);
  });

  it('expands Prometheus variables as regexes, All as .*', () => {
    const expr = 'sum(rate(x{source=~"$source"}[$__rate_interval])) + increase(x[$__range])';
    expect(expandPromQl(expr, { rateInterval: '4s', range: '1h', variables: { source: 'All' } })).toBe(
      'sum(rate(x{source=~".*"}[4s])) + increase(x[1h])',
    );
    expect(expandPromQl('x{source=~"$source"}', { rateInterval: '4s', range: '1h', variables: { source: ['web-1', 'a.b'] } })).toBe(
      'x{source=~"(web-1|a\\.b)"}',
    );
  });
});
