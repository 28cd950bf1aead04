import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import { migrationSource } from '../../migrations';
import { EmbeddedPgClient } from './embedded-pg-client';

/** Where knex's own warnings go (otherwise console.log). */
export interface DbLog {
  warn(message: unknown): void;
  error(message: unknown): void;
}

export interface DbOptions {
  log?: DbLog;
  /** A PostgreSQL server; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Folder for the embedded database, "memory" for a throw-away one, or one already open (tests start from a migrated copy). */
  embeddedDir?: string | PGlite;
  /** Bounds for every call to a PostgreSQL server; without them (migrations), only connecting is bounded. */
  timeouts?: DbTimeouts;
}

export interface DbTimeouts {
  connectMs: number;
  statementMs: number;
  /** Waiting for a free connection from the pool. */
  acquireMs: number;
}

/**
 * The server cancels a statement after statementMs; a server that cannot (paused, or the
 * link is dead but looks open) is given up by the client this much later.
 */
const CLIENT_GRACE_MS = 500;

/** A connection whose statement was given up by the client still waits for it: it is not reused. */
const idle = (connection: { readyForQuery?: boolean }) => connection.readyForQuery === true;

/** The one knex configuration: the service, `npm run cli -- migrate` and knex's own CLI use it. */
export function knexConfig(options: DbOptions): Knex.Config {
  const log = options.log && { warn: options.log.warn, error: options.log.error, deprecate: options.log.warn, debug: () => {} };
  if (options.databaseUrl) {
    const timeouts = options.timeouts;
    return {
      log,
      client: 'pg',
      connection: {
        connectionString: options.databaseUrl,
        connectionTimeoutMillis: timeouts?.connectMs ?? 5000,
        ...(timeouts && { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + CLIENT_GRACE_MS }),
      },
      pool: { min: 0, max: 10, ...(timeouts && { validate: idle }) },
      acquireConnectionTimeout: timeouts?.acquireMs ?? 10_000,
      migrations: { migrationSource },
    };
  }
  const dir = options.embeddedDir ?? 'memory';
  return {
    log,
    client: EmbeddedPgClient as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: typeof dir !== 'string' ? ({ pglite: dir } as Knex.StaticConnectionConfig) : dir === 'memory' ? {} : ({ filename: dir } as Knex.StaticConnectionConfig),
    acquireConnectionTimeout: 60_000,
    migrations: { migrationSource },
  };
}

export function embeddedDirFor(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
