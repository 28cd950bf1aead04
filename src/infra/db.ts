import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../migrations';
import { knexConfig, type DbOptions } from './knex-config';

export type Db = Knex;
export type { DbOptions };

// Counts come back as int8; nothing here counts beyond 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function createDb(options: DbOptions): Db {
  if (!options.databaseUrl && typeof options.embeddedDir === 'string' && options.embeddedDir !== 'memory') {
    fs.mkdirSync(options.embeddedDir, { recursive: true });
  }
  return knexFactory(knexConfig(options));
}

/**
 * Runs a migration step. A migration may run longer than a request may, so on a server it
 * gets its own connection without the statement timeout the service's pool carries (the
 * embedded database has no such timeout and serves one connection only).
 */
export async function withMigrationConnection<T>(db: Db, options: Pick<DbOptions, 'databaseUrl' | 'log'>, step: (migrator: Db) => Promise<T>): Promise<T> {
  const migrator = options.databaseUrl ? createDb({ databaseUrl: options.databaseUrl, log: options.log }) : db;
  try {
    return await step(migrator);
  } finally {
    if (migrator !== db) await migrator.destroy();
  }
}

/**
 * Brings the schema up to date. knex creates its own bookkeeping tables before it takes its
 * migration lock, so two processes starting at once on a new PostgreSQL database could both
 * try to create them and one would fail; a transaction-scoped advisory lock, held on another
 * connection of the pool while knex migrates, makes the second wait for the first (and is let
 * go if the process dies). The embedded database serves one process and one connection.
 */
export async function migrateLatest(db: Db): Promise<string[]> {
  const latest = async () => ((await db.migrate.latest()) as [number, string[]])[1];
  if (db.client.config.client !== 'pg') return latest();
  return db.transaction(async (tx) => {
    await tx.raw('select pg_advisory_xact_lock(hashtext(?))', ['atrium:migrate']);
    return latest();
  });
}

/** Undoes the last batch only: what the previous `migrate` applied. */
export async function migrateRollback(db: Db): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback()) as [number, string[]];
  return reverted;
}

/** Undoes every migration: every table and all data go (the CLI asks for confirmation). */
export async function migrateRollbackAll(db: Db): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(undefined, true)) as [number, string[]];
  return reverted;
}

/** How many migrations ran and how many wait (without creating knex's tables on a fresh database). */
export async function pendingMigrations(db: Db): Promise<{ completed: number; pending: number }> {
  if (!(await db.schema.hasTable('knex_migrations'))) return { completed: 0, pending: (await migrationSource.getMigrations([])).length };
  const [completed, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
  return { completed: completed.length, pending: pending.length };
}

export async function pingDb(db: Db): Promise<void> {
  await db.raw('select 1');
}
