import path from 'node:path';
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
  /** Folder for the embedded database, or "memory" for a throw-away one (tests). */
  embeddedDir?: string;
}

/** The one knex configuration: the service, `npm run cli -- migrate` and knex's own CLI use it. */
export function knexConfig(options: DbOptions): Knex.Config {
  const log = options.log && { warn: options.log.warn, error: options.log.error, deprecate: options.log.warn, debug: () => {} };
  if (options.databaseUrl) {
    return {
      log,
      client: 'pg',
      connection: { connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 },
      pool: { min: 0, max: 10 },
      acquireConnectionTimeout: 10_000,
      migrations: { migrationSource },
    };
  }
  const dir = options.embeddedDir ?? 'memory';
  return {
    log,
    client: EmbeddedPgClient as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: dir === 'memory' ? {} : ({ filename: dir } as Knex.StaticConnectionConfig),
    acquireConnectionTimeout: 60_000,
    migrations: { migrationSource },
  };
}

export function embeddedDirFor(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
