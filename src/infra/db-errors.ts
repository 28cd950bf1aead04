import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ErrorReply,
  MultiErrorReply,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

/** Recognises database failures that are business outcomes rather than faults. */
export function uniqueViolation(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505') {
    const constraint = (err as { constraint?: unknown }).constraint;
    return typeof constraint === 'string' ? constraint : 'unknown';
  }
  return undefined;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '57014']);
const UNAVAILABLE_NAMES = new Set(['KnexTimeoutError']);
/** node-redis's connection failures; all of them are named plain `Error`, so they are known by class. */
const REDIS_CONNECTION_ERRORS = [ClientOfflineError, ClientClosedError, ConnectionTimeoutError, SocketClosedUnexpectedlyError, SocketTimeoutError, ReconnectStrategyError, DisconnectsClientError];

/**
 * True when a back-end (PostgreSQL or Redis) could not be reached or did not answer in
 * time (a statement cancelled by statement_timeout, 57014; a read or connect timeout; a
 * Redis connection dropped because a command went unanswered): the request gets a 503.
 * A PostgreSQL connection that broke inside a transaction is "not queryable" to
 * node-postgres, and knex fails the transaction with that answer to its ROLLBACK or COMMIT
 * rather than with the break itself.
 */
export function isBackendUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if (isRedisInTransition(err) || REDIS_CONNECTION_ERRORS.some((type) => err instanceof type)) return true;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  return typeof message === 'string' && /Connection terminated|connect ECONNREFUSED|Query read timeout|^timeout expired$|is not queryable$/.test(message);
}

/**
 * Redis answers that say "not now" rather than "never": a command timed out, no node of
 * a cluster answers, a failover or a slot move is under way (READONLY, CLUSTERDOWN,
 * TRYAGAIN, MASTERDOWN), or the server is still loading; in a transaction, any reply.
 */
function isRedisInTransition(err: object): boolean {
  if (err instanceof TimeoutError || err instanceof RootNodesUnavailableError) return true;
  if (err instanceof MultiErrorReply) return [...err.errors()].some((reply) => isRedisInTransition(reply));
  return err instanceof ErrorReply && /^(READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING)\b/.test(err.message);
}
