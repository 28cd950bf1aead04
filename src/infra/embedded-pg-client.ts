import type { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';

interface PgLiteClient extends Knex.Client {
  processResponse(obj: unknown, runner: unknown): unknown;
}
type PgLiteClientClass = new (config: Knex.Config) => PgLiteClient;

interface QueryResult {
  method?: string;
  returning?: unknown;
  response?: { rows: unknown[]; affectedRows?: number };
}

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) behind knex.
 * knex-pglite names the delete method "DEL", which knex's Postgres dialect does not
 * recognise, so deletes would resolve to the raw response instead of a row count.
 */
export class EmbeddedPgClient extends (ClientPgLite as unknown as PgLiteClientClass) {
  override processResponse(obj: unknown, runner: unknown): unknown {
    const query = obj as QueryResult;
    if (query.method === 'del' && query.response) {
      return query.returning ? query.response.rows : (query.response.affectedRows ?? 0);
    }
    return super.processResponse(obj, runner);
  }
}
