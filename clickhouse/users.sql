-- The two users the stack's services log in with, created once by the compose init
-- (clickhouse/init/users.sh) after schema.sql, as the admin user of .env. The placeholders
-- @RECEIVER_PASSWORD_SHA256@ and @GRAFANA_PASSWORD_SHA256@ are the hex SHA-256 of the passwords
-- in .env, so no password is written into this file, the server's log or its query log.
--
-- logpulse_receiver: stores events and alert transitions and migrates the schema at start-up
-- (CREATE ... IF NOT EXISTS, ADD COLUMN, MODIFY ORDER BY, MODIFY TTL, MODIFY SETTING), all within
-- database logpulse. MODIFY ORDER BY only appends a column added by the same ALTER (the alerts
-- table's source). Only those four ALTERs: ALTER TABLE as a whole would also allow ALTER DELETE,
-- ALTER UPDATE, DROP COLUMN and DROP PARTITION. It cannot drop, truncate or delete anything, nor reach outside logpulse.
CREATE USER IF NOT EXISTS logpulse_receiver IDENTIFIED WITH sha256_hash BY '@RECEIVER_PASSWORD_SHA256@';
GRANT SELECT, INSERT, SHOW, CREATE DATABASE, CREATE TABLE, ALTER ADD COLUMN, ALTER ORDER BY, ALTER TTL, ALTER SETTINGS
    ON logpulse.* TO logpulse_receiver;

-- logpulse_grafana: Grafana's ClickHouse data source. Reads logpulse and nothing else. readonly = 2
-- forbids every write and DDL even if a grant is added by mistake, while letting the data source set
-- per-query settings (max_execution_time), which readonly = 1 would refuse.
CREATE USER IF NOT EXISTS logpulse_grafana IDENTIFIED WITH sha256_hash BY '@GRAFANA_PASSWORD_SHA256@'
    SETTINGS readonly = 2;
GRANT SELECT, SHOW ON logpulse.* TO logpulse_grafana;
