import { ConnectionIsNotSetError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  // A socket pg was still writing to when the server went away.
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_STREAM_DESTROYED',
  // SQLSTATE: too many connections (a reconnect storm after a restart), database dropped.
  '53300',
  '57P04',
  // The database does not exist (dropped, or not created yet), or its credentials are refused.
  '3D000',
  '28000',
  '28P01',
  // A former primary after a failover: it only reads now.
  '25006',
]);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  // pg's query_timeout: the database stopped answering (frozen, partitioned), not a wrong query.
  'Query read timeout',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Connection refused',
  'the database system is',
  'terminating connection',
];

/**
 * TypeORM's own errors for a connection that went away under a query: its query
 * runner is released when pg reports the broken connection, and a query already
 * on its way then fails with this rather than with the connection error.
 */
const CONNECTION_ERROR_CLASSES = [QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, ConnectionIsNotSetError];

/** True when an error means "the database cannot be reached", not "the query was wrong". */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    // SQLSTATE class 08 (connection exception), 53 (insufficient resources: disk full, out of memory,
    // too many connections), 57P01..05 (shutdown, cannot connect now, idle session timeout).
    if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || code.startsWith('53') || /^57P0[1-5]$/.test(code)) return true;
    if (CONNECTION_ERROR_CLASSES.some((type) => e instanceof type)) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    e = candidate.driverError ?? candidate.cause;
  }
  return false;
}
