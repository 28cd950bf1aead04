import type { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock';

interface PgLiteClient extends Knex.Client {
  processResponse(obj: unknown, runner: unknown): unknown;
  destroy(callback?: (err?: unknown) => void): Promise<void>;
}
type PgLiteClientClass = new (config: Knex.Config) => PgLiteClient;

interface QueryResult {
  method?: string;
  returning?: unknown;
  response?: { rows: unknown[]; affectedRows?: number };
}

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) behind knex.
 * A database on disk is locked for this process before PGlite opens it, and unlocked
 * when knex is destroyed (see data-dir-lock.ts).
 * knex-pglite names the delete method "DEL", which knex's Postgres dialect does not
 * recognise, so deletes would resolve to the raw response instead of a row count.
 */
export class EmbeddedPgClient extends (ClientPgLite as unknown as PgLiteClientClass) {
  private readonly lock?: DataDirLock;

  constructor(config: Knex.Config) {
    const folder = (config.connection as { filename?: string } | undefined)?.filename;
    const lock = folder ? lockDataDir(folder) : undefined;
    try {
      super(config);
    } catch (err) {
      lock?.release();
      throw err;
    }
    this.lock = lock;
  }

  override async destroy(callback?: (err?: unknown) => void): Promise<void> {
    try {
      await super.destroy(callback);
    } finally {
      this.lock?.release();
    }
  }

  override processResponse(obj: unknown, runner: unknown): unknown {
    const query = obj as QueryResult;
    if (query.method === 'del' && query.response) {
      return query.returning ? query.response.rows : (query.response.affectedRows ?? 0);
    }
    return super.processResponse(obj, runner);
  }
}
