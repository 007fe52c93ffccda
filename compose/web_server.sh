#!/bin/sh
# The compose stack's optional second web server (profile `multi`): writes its own demo access log,
# rotated as the demo service does (compose/demo_rotating.sh), and ships it with `logpulse ship` to
# the receiver's OTLP/HTTP port. The agent's checkpoints move only once the receiver stored the
# lines, so a receiver restart or an outage loses nothing: the log file is the spool.
set -eu

LOG_DIR="$(dirname "${DEMO_LOG:-/var/log/web/access.log}")"
LOGPULSE="${LOGPULSE:-node /app/dist/receiver/src/cli/main.js}"

/bin/sh /usr/local/bin/demo_rotating.sh &
writer=$!
# LOGPULSE_SHIP_TOKEN comes from the environment: a token on the command line would show in ps.
$LOGPULSE ship --to "${SHIP_TO:?}" --source "${SHIP_SOURCE:-web-2}" --data-dir "${SHIP_DATA_DIR:-/var/lib/logpulse-ship}" --status off "$LOG_DIR" &
shipper=$!

stop() {
  kill "$shipper" "$writer" 2>/dev/null || true
  wait "$shipper" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  exit 0
}
trap stop TERM INT
# Either one ending ends the container, and `restart: unless-stopped` starts both again.
while kill -0 "$shipper" 2>/dev/null && kill -0 "$writer" 2>/dev/null; do sleep 5 & wait $! || true; done
stop
