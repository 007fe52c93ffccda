-- description: Most requested sections: hits, bytes sent and error rate (source='' for every host, vhost='' for every virtual host)
-- params: from=now-1d, to=now, source=, vhost=, limit=20
SELECT
    section,
    count() AS hits,
    sum(bytes) AS bytes,
    round(countIf(status >= 400) / count(), 4) AS error_rate
FROM logpulse.events FINAL
WHERE kind = 'http'
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({source:String} = '' OR source = {source:String})
  AND ({vhost:String} = '' OR vhost = {vhost:String})
GROUP BY section
ORDER BY hits DESC, section
LIMIT {limit:UInt32}
