export { openStore, chdbPath, type Store, type QueryParams } from './store.js';
export { OUTPUT_FORMATS, isOutputFormat, serverTarget, type OutputFormat, type StoreOptions } from './store_options.js';
export { applySchema, schemaStatements, EVENTS_ENGINE_SETTINGS, checkRetentionDays, type SchemaOptions } from './schema.js';
export { clickhouseDir, defaultSchemaFile, defaultQueriesDir } from './clickhouse_files.js';
export { StoreConnectError, SchemaError, SinkConfigError, QueryError, QueryRefusedError, InsertError } from './errors.js';
export type { FileInsertBody, RowBinaryLayout } from './chdb_file_insert.js';
