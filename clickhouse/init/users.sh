#!/bin/sh
# Compose init of the ClickHouse image (/docker-entrypoint-initdb.d, run once on a new data volume,
# after schema.sql): creates the receiver's and Grafana's users from clickhouse/users.sql with the
# passwords of .env, passed as SHA-256 hashes so that no password reaches a log.
set -eu

: "${CLICKHOUSE_RECEIVER_PASSWORD:?set CLICKHOUSE_RECEIVER_PASSWORD in .env}"
: "${CLICKHOUSE_GRAFANA_PASSWORD:?set CLICKHOUSE_GRAFANA_PASSWORD in .env}"
USERS_SQL="${LOGPULSE_USERS_SQL:-/etc/logpulse/users.sql}"

sha256() {
  printf '%s' "$1" | sha256sum | cut -d ' ' -f 1
}

# CLICKHOUSE_CLIENT replaces the client (e.g. `cat` prints the statements instead of running them).
client() {
  if [ -n "${CLICKHOUSE_CLIENT:-}" ]; then
    $CLICKHOUSE_CLIENT
  else
    clickhouse client --host 127.0.0.1 --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" --multiquery
  fi
}

sed -e "s/@RECEIVER_PASSWORD_SHA256@/$(sha256 "$CLICKHOUSE_RECEIVER_PASSWORD")/" \
    -e "s/@GRAFANA_PASSWORD_SHA256@/$(sha256 "$CLICKHOUSE_GRAFANA_PASSWORD")/" \
    "$USERS_SQL" \
  | client
