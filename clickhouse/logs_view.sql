-- The raw lines as Grafana's logs view reads them (the ClickHouse data source's logs settings in
-- grafana/provisioning/datasources/datasources.yml name this view): the time, the line, a level
-- from the status class, and the columns Explore filters on. Created by the compose init after
-- schema.sql; reads the events table with FINAL so a line delivered twice shows once.
CREATE VIEW IF NOT EXISTS logpulse.events_log AS
SELECT
    ts,
    raw,
    multiIf(status >= 500, 'error', status >= 400, 'warning', status = 0, 'unknown', 'info') AS level,
    source,
    vhost,
    kind,
    section,
    status,
    user,
    client,
    method,
    path,
    event_id
FROM logpulse.events FINAL;
