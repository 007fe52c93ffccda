export { startQueryServer, type QueryServer, type QueryServerOptions } from './query_server.js';
export { runSql, type RunSqlOptions } from './query_client.js';
export { queryPortFile, readQueryPortFile, QueryPortFileError, type QueryEndpoint } from './query_port_file.js';
export { listSavedQueries, loadSavedQuery, resolveRelativeTime, type SavedQuery, type SavedQueryParam, type SavedQueryOptions } from './saved_queries.js';
export { ReadQueryGuard, refusalOf } from './read_query_guard.js';
