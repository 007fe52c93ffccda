-- description: Users active per day (distinct authenticated users over web requests and transfers)
-- params: from=now-30d, to=now
SELECT
    toDate(ts) AS day,
    uniqExact(user) AS active_users,
    count() AS events
FROM logpulse.events FINAL
WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} AND user != ''
GROUP BY day
ORDER BY day
