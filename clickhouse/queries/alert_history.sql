-- description: High-traffic alerts fired and recovered, oldest first
-- params: from=now-30d, to=now
SELECT
    at,
    host,
    alert,
    state,
    round(value, 2) AS value,
    threshold_rps,
    window_seconds,
    message
FROM logpulse.alerts FINAL
WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
ORDER BY at, host, alert, state
