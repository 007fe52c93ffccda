-- description: Average, largest and total transfer size per direction (user='' for all users)
-- params: from=now-30d, to=now, user=
SELECT
    direction,
    count() AS transfers,
    round(avg(bytes), 1) AS avg_bytes,
    max(bytes) AS max_bytes,
    sum(bytes) AS total_bytes
FROM logpulse.events FINAL
WHERE kind = 'transfer'
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({user:String} = '' OR user = {user:String})
GROUP BY direction
ORDER BY direction
