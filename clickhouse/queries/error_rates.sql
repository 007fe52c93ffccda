-- description: HTTP error rates per day and host: client (4xx) and server (5xx) errors
-- params: from=now-7d, to=now
SELECT
    toDate(ts) AS day,
    source,
    count() AS requests,
    countIf(status >= 400 AND status < 500) AS client_errors,
    countIf(status >= 500) AS server_errors,
    round(countIf(status >= 400) / count(), 4) AS error_rate
FROM logpulse.events FINAL
WHERE kind = 'http' AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
GROUP BY day, source
ORDER BY day, source
