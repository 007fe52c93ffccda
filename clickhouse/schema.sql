-- logpulse storage. The single source of the DDL: the receiver applies it at start-up, statement
-- by statement, and the compose init mounts it. Every statement is idempotent.
--
-- Deduplication: events is a ReplacingMergeTree whose sorting key ends in event_id (the line
-- hash) and is made only of functions of the line itself, so an event delivered twice folds into
-- one row (read with FINAL for exact counts before merges); non_replicated_deduplication_window
-- lets a retried insert with the same insert_deduplication_token be dropped on arrival.
-- client is a String rather than IPv6: IPv4 addresses display as written and any address the
-- log holds is kept; toIPv6OrNull(client) gives the typed value when ranges are needed.
-- Retention: none here, history is kept. With retention_days the receiver sets the TTL at
-- start-up (ts + INTERVAL n DAY, on DateTime64 so that it cannot wrap) and does not write rows
-- already past it; without it, it removes a TTL left by an earlier version.

CREATE DATABASE IF NOT EXISTS logpulse;

CREATE TABLE IF NOT EXISTS logpulse.events
(
    event_id     UInt64,
    ts           DateTime64(3, 'UTC'),
    received_at  DateTime64(3, 'UTC'),
    source       LowCardinality(String),
    file         LowCardinality(String),
    offset       Int64,
    vhost        LowCardinality(String),
    kind         LowCardinality(String),
    client       String,
    user         LowCardinality(String),
    method       LowCardinality(String),
    path         String,
    section      LowCardinality(String),
    status       UInt16,
    protocol     LowCardinality(String),
    bytes        UInt64,
    referer      String,
    user_agent   String,
    direction    LowCardinality(String),
    duration_ms  UInt32,
    raw          String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (kind, source, toStartOfHour(ts), event_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- Migrations of stores made by earlier versions: each is a no-op on a table that has the change.
-- vhost: the virtual host of vhost_combined lines (Apache's other_vhosts_access.log, nginx $host).
ALTER TABLE logpulse.events ADD COLUMN IF NOT EXISTS vhost LowCardinality(String) AFTER offset;

-- Alert history: one row per transition (firing / resolved) per receiver host and source. A
-- transition sent again (after a restart) has the same key and folds. source is the source a
-- SourceSilent transition is about, empty for HighTraffic (all sources together).
CREATE TABLE IF NOT EXISTS logpulse.alerts
(
    alert           LowCardinality(String),
    source          LowCardinality(String),
    state           LowCardinality(String),
    value           Float64,
    at              DateTime64(3, 'UTC'),
    threshold_rps   Float64,
    window_seconds  UInt32,
    message         String,
    host            LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (host, alert, at, state, source)
SETTINGS non_replicated_deduplication_window = 100;

-- source: two sources falling silent in the same second are two rows. A column added to the
-- sorting key in the same ALTER is allowed on a table with data; on a table that has it already
-- both parts are no-ops.
ALTER TABLE logpulse.alerts ADD COLUMN IF NOT EXISTS source LowCardinality(String) AFTER alert,
    MODIFY ORDER BY (host, alert, at, state, source);

-- Lines read per source and minute of wall time (when the receiver read them), including the ones
-- that never become events: invalid, truncated and expired lines (events holds parsed lines
-- only). One row per receiver host, run (its start time) and minute, written once the minute has
-- closed (or at shutdown). The key is the whole identity of a row, so a retried or resent insert
-- replaces the row instead of adding to it; a restart is a new run, whose rows add up with the
-- earlier run's. Sum over host and run: SELECT source, sum(lines_read) FROM logpulse.ingest FINAL.
CREATE TABLE IF NOT EXISTS logpulse.ingest
(
    host        LowCardinality(String),
    run         UInt64,
    source      LowCardinality(String),
    minute      DateTime('UTC'),
    lines_read  UInt64,
    parsed      UInt64,
    invalid     UInt64,
    truncated   UInt64,
    expired     UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (host, source, minute, run)
SETTINGS non_replicated_deduplication_window = 100;
