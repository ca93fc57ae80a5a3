/** Socket errors of a backing service that cannot be reached (PostgreSQL, Redis, object storage). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve now", not "the request is wrong":
 * class 08 (connection exception), class 53 (insufficient resources: too many connections, disk full,
 * out of memory), 57P01–57P03 (admin/crash shutdown, cannot connect now: starting up or recovering).
 */
const PG_UNAVAILABLE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[123])$/;

/** What node-postgres, TypeORM and ioredis say when the connection itself is gone. */
const MESSAGES = [
  /^Connection terminated/, // pg: server or network closed the socket (also "… due to connection timeout")
  /timeout exceeded when trying to connect/, // pg-pool: connectionTimeoutMillis
  /Client has encountered a connection error and is not queryable/, // pg
  /^Connection is closed\.?$/, // ioredis
  /Stream isn't writeable and enableOfflineQueue options is false/, // ioredis with the offline queue off
  /max retries per request limit/i, // ioredis MaxRetriesPerRequestError
];

const NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionIsNotSetError', 'CannotExecuteNotConnectedError']);

/**
 * True when `err` (or what it wraps: TypeORM's `driverError`, `cause`, an AggregateError's `errors`)
 * is a backing service being unreachable or refusing work — an outage to answer with 503, never a
 * reason to reject the caller's credentials or input. Walks the chain iteratively.
 */
export function isInfrastructureError(err: unknown): boolean {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 32) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const { code, message, name, driverError, cause, errors } = e as { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
    if (typeof name === 'string' && NAMES.has(name)) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    queue.push(driverError, cause, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}
