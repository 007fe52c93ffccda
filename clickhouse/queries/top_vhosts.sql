-- description: Busiest virtual hosts: hits, bytes sent, error rate and distinct clients (source='' for every host; requests without a vhost are left out)
-- params: from=now-1d, to=now, source=, limit=20
SELECT
    vhost,
    count() AS hits,
    sum(bytes) AS bytes,
    round(countIf(status >= 400) / count(), 4) AS error_rate,
    uniqExact(client) AS clients
FROM logpulse.events FINAL
WHERE kind = 'http' AND vhost != ''
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({source:String} = '' OR source = {source:String})
GROUP BY vhost
ORDER BY hits DESC, vhost
LIMIT {limit:UInt32}
