#!/bin/sh
# The compose stack's demo service: writes the demo access log and rotates it the way logrotate's
# `compress` + `delaycompress` does, every DEMO_ROTATE_SECONDS, so the stack shows rotation handling
# from its first hour: the log is renamed to access.log.1 and a new access.log is started; the
# previous access.log.1 becomes access.log.2 and is gzipped. The receiver knows each file by its
# first bytes, so it finishes the renamed file and skips what it already read in the gzipped one.
set -eu

LOG="${DEMO_LOG:-/logs/access.log}"
ROTATE_SECONDS="${DEMO_ROTATE_SECONDS:-1800}"
LOGPULSE="${LOGPULSE:-node /app/dist/receiver/src/cli/main.js}"

writer=''
stop() {
  if [ -n "$writer" ]; then kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true; fi
  exit 0
}
trap stop TERM INT

rotate() {
  if [ -f "$LOG.1" ]; then
    mv -f "$LOG.1" "$LOG.2"
    gzip -f "$LOG.2"
  fi
  if [ -f "$LOG" ]; then mv -f "$LOG" "$LOG.1"; fi
}

while :; do
  # A new seed each period: the new file's content (hence its fingerprint) differs from the last.
  $LOGPULSE demo --output "$LOG" --duration "$ROTATE_SECONDS" --seed "$(date +%s)" &
  writer=$!
  wait "$writer" || true
  writer=''
  rotate
done
