-- description: Activity per day and hour (UTC): web requests, transfers, bytes and active users
-- params: from=now-7d, to=now
SELECT
    toDate(ts) AS day,
    toHour(ts) AS hour,
    countIf(kind = 'http') AS requests,
    countIf(kind = 'transfer') AS transfers,
    sum(bytes) AS bytes,
    uniqExactIf(user, user != '') AS active_users
FROM logpulse.events FINAL
WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
GROUP BY day, hour
ORDER BY day, hour
