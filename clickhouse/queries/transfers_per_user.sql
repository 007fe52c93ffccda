-- description: Transfers per user: uploads, downloads and bytes each way (user='' for all users)
-- params: from=now-30d, to=now, user=, limit=100
SELECT
    user,
    count() AS transfers,
    countIf(direction = 'upload') AS uploads,
    countIf(direction = 'download') AS downloads,
    sumIf(bytes, direction = 'upload') AS upload_bytes,
    sumIf(bytes, direction = 'download') AS download_bytes,
    sum(bytes) AS total_bytes
FROM logpulse.events FINAL
WHERE kind = 'transfer'
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({user:String} = '' OR user = {user:String})
GROUP BY user
ORDER BY total_bytes DESC, user
LIMIT {limit:UInt32}
