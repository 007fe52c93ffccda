-- description: Client addresses each user came from, with first and last time seen (user='' for all users)
-- params: from=now-30d, to=now, user=
SELECT
    user,
    client,
    count() AS events,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM logpulse.events FINAL
WHERE user != ''
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({user:String} = '' OR user = {user:String})
GROUP BY user, client
ORDER BY user, client
