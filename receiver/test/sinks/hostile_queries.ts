/**
 * What the read-only query path must refuse, and what it must still run. Each refused statement
 * comes with the words its refusal must contain, so a test shows the operator is told why.
 * `OUT` stands for a path the statement would write; the tests check the file never appears.
 */
export interface HostileQuery {
  sql: (out: string) => string;
  why: RegExp;
}

const writes = /is not a read query/;
const outfile = /INTO OUTFILE writes files/;
const settings = /SETTINGS clause/;
const oneStatement = /not one statement.*Multi-statements are not allowed/;
const fileFunction = /file\(\) reads files of this machine/;
const tableFunction = (name: string): RegExp => new RegExp(`table function ${name}\\(\\) reads or reaches outside`);

export const REFUSED: readonly HostileQuery[] = [
  // Writes and DDL: refused by the parser before readonly=1 is even asked.
  { sql: () => "INSERT INTO logpulse.events (event_id, raw) VALUES (1, 'x')", why: writes },
  { sql: () => 'CREATE TABLE logpulse.t (x UInt8) ENGINE = Memory', why: writes },
  { sql: () => 'DROP TABLE logpulse.events', why: writes },
  { sql: () => 'ALTER TABLE logpulse.events DELETE WHERE 1', why: writes },
  { sql: () => 'TRUNCATE TABLE logpulse.events', why: writes },
  { sql: () => 'RENAME TABLE logpulse.events TO logpulse.gone', why: writes },
  { sql: () => 'OPTIMIZE TABLE logpulse.events FINAL', why: writes },
  { sql: () => 'DETACH TABLE logpulse.events', why: writes },
  { sql: () => 'ATTACH TABLE logpulse.events', why: writes },
  { sql: () => 'KILL QUERY WHERE 1', why: writes },
  { sql: () => 'kill query where user = currentUser() SYNC', why: writes },
  { sql: () => 'SYSTEM FLUSH LOGS', why: writes },
  { sql: () => 'SYSTEM SHUTDOWN', why: writes },
  { sql: () => 'SET readonly = 0', why: writes },
  { sql: () => 'EXPLAIN SELECT 1', why: writes },
  // The file writes of the issue, in every spelling.
  { sql: (out) => `SELECT 1 INTO OUTFILE '${out}'`, why: outfile },
  { sql: (out) => `SELECT raw FROM logpulse.events INTO OUTFILE '${out}' TRUNCATE`, why: outfile },
  { sql: (out) => `SELECT raw FROM logpulse.events INTO OUTFILE '${out}' APPEND`, why: outfile },
  { sql: (out) => `select 1 into outfile '${out}' truncate format CSV`, why: outfile },
  { sql: (out) => `SELECT 1 INTO OUTFILE '${out}' COMPRESSION 'gzip'`, why: outfile },
  { sql: (out) => `SeLeCt 1 InTo OuTfIlE '${out}' tRuNcAtE`, why: outfile },
  { sql: (out) => `SELECT 1 /* ; */ INTO OUTFILE '${out}' TRUNCATE`, why: outfile },
  { sql: (out) => `SELECT 1 -- a comment\nINTO OUTFILE '${out}'`, why: outfile },
  { sql: (out) => `SELECT 1 UNION ALL SELECT 2 INTO OUTFILE '${out}'`, why: outfile },
  { sql: (out) => `WITH 1 AS x SELECT x INTO OUTFILE '${out}' TRUNCATE`, why: outfile },
  // Several statements, however they hide.
  { sql: () => 'SELECT 1; DROP TABLE logpulse.events', why: oneStatement },
  { sql: (out) => `SELECT 1; SELECT 2 INTO OUTFILE '${out}'`, why: oneStatement },
  { sql: () => 'SELECT 1;KILL QUERY WHERE 1', why: oneStatement },
  { sql: () => "SELECT ';'; TRUNCATE TABLE logpulse.events", why: oneStatement },
  // Settings changes.
  { sql: () => 'SELECT 1 SETTINGS readonly = 0', why: settings },
  { sql: () => 'SELECT count() FROM logpulse.events SETTINGS readonly = 0, max_threads = 1', why: settings },
  { sql: () => 'SELECT * FROM (SELECT 1 SETTINGS readonly = 0)', why: settings },
  { sql: () => 'SELECT 1 UNION ALL SELECT 2 SETTINGS readonly = 0', why: settings },
  // Table functions that read the machine or reach out, in any position and case.
  { sql: () => "SELECT * FROM file('/etc/passwd', 'LineAsString')", why: fileFunction },
  { sql: () => "SELECT * FROM FILE('/etc/hostname', LineAsString)", why: fileFunction },
  { sql: () => "SELECT file('/etc/passwd')", why: fileFunction },
  { sql: () => "SELECT * FROM url('http://127.0.0.1:9/', CSV, 'x String')", why: tableFunction('url') },
  { sql: () => "SELECT 1 WHERE 1 IN (SELECT * FROM url('http://127.0.0.1:9/', CSV, 'x UInt8'))", why: tableFunction('url') },
  { sql: () => "SELECT * FROM remote('127.0.0.1:9', system.one)", why: tableFunction('remote') },
  { sql: () => "SELECT * FROM system.one AS a JOIN remoteSecure('127.0.0.1:9', system.one) AS b ON 1", why: tableFunction('remotesecure') },
  { sql: () => "SELECT * FROM s3('http://127.0.0.1:9/b/k.csv', CSV, 'x String')", why: tableFunction('s3') },
  { sql: () => "SELECT * FROM executable('sh -c id', TSV, 'x String')", why: tableFunction('executable') },
  { sql: () => "SELECT * FROM mysql('127.0.0.1:9', 'db', 't', 'u', 'p')", why: tableFunction('mysql') },
  { sql: () => "SELECT * FROM postgresql('127.0.0.1:9', 'db', 't', 'u', 'p')", why: tableFunction('postgresql') },
  { sql: () => "SELECT * FROM input('x String')", why: tableFunction('input') },
  { sql: () => "SELECT * FROM filesystem('/')", why: tableFunction('filesystem') },
  { sql: () => "SELECT * FROM loop(system.one)", why: tableFunction('loop') },
  { sql: () => "DESCRIBE TABLE file('/etc/passwd', LineAsString)", why: fileFunction },
];

/**
 * Comments nest in ClickHouse 26 and not in 18.16: chDB reads `SELECT 1` here, an 18.16 server
 * would read `SELECT 1 INTO OUTFILE`. The path runs the text chDB's parser wrote back, so every
 * engine runs `SELECT 1` and no file appears.
 */
export const NESTED_COMMENT = (out: string): string => `SELECT 1 /* /* */ INTO OUTFILE '${out}' -- */`;

/** Single read queries the path keeps running (saved queries are checked apart). */
export const ACCEPTED: ReadonlyArray<{ sql: string; params?: Record<string, string> }> = [
  { sql: 'SELECT count() FROM logpulse.events FINAL' },
  { sql: 'select count() from logpulse.events final;' },
  { sql: 'WITH toStartOfHour(ts) AS hour SELECT hour, count() FROM logpulse.events FINAL GROUP BY hour' },
  { sql: "SELECT 1 AS x UNION ALL SELECT 2 -- a comment with ; and INTO OUTFILE '/tmp/x'" },
  { sql: "/* INTO OUTFILE '/tmp/x'; DROP TABLE logpulse.events */ SELECT 'INTO OUTFILE ; KILL' AS s" },
  { sql: 'SELECT count() FROM logpulse.events WHERE path = {p:String}', params: { p: "x'; DROP TABLE logpulse.events; --" } },
  { sql: 'SELECT number FROM numbers(3)' },
  { sql: "SELECT format('{} {}', 'a', 'b')" },
  { sql: 'EXISTS TABLE logpulse.events' },
  { sql: 'SHOW TABLES FROM logpulse' },
  { sql: 'DESCRIBE TABLE logpulse.events' },
];
