import type { Knex } from 'knex';

/** A policy an administrator set in the console. */
export interface StoredPolicy {
  key: string;
  value: unknown;
  updatedBy: string | null;
  updatedAt: Date;
}

/**
 * The value is read as its JSON text and parsed here: drivers hand a jsonb string back
 * already parsed, so a stored "closed" could not be told from a JSON text to parse.
 */
const COLUMNS = ['key', 'updated_by', 'updated_at'] as const;

const toPolicy = (r: Record<string, unknown>): StoredPolicy => ({
  key: r.key as string,
  value: JSON.parse(r.value as string),
  updatedBy: (r.updated_by as string | null) ?? null,
  updatedAt: new Date(r.updated_at as string),
});

/** The console's policies, one row each: read per request, so every process sees a change at once. */
export function createAdminPoliciesRepository(db: Knex | Knex.Transaction) {
  const rows = () => db('admin_policies').select(...COLUMNS, db.raw('value::text as value'));
  return {
    async all(): Promise<StoredPolicy[]> {
      return (await rows()).map(toPolicy);
    },

    /** Only these policies: one lookup by primary key. */
    async some(keys: readonly string[]): Promise<StoredPolicy[]> {
      return (await rows().whereIn('key', keys)).map(toPolicy);
    },

    /**
     * For a change, inside its transaction: the table stays locked against other changes
     * (not against reads) until the transaction ends, so two saves apply one after the
     * other and each audits what it really replaced, rows not yet written included.
     */
    async allForChange(): Promise<StoredPolicy[]> {
      await db.raw('lock table admin_policies in exclusive mode');
      return (await rows()).map(toPolicy);
    },

    async set(key: string, value: unknown, updatedBy: string | null, now: Date): Promise<void> {
      await db('admin_policies')
        .insert({ key, value: JSON.stringify(value), updated_by: updatedBy, updated_at: now })
        .onConflict('key')
        .merge();
    },
  };
}

export type AdminPoliciesRepository = ReturnType<typeof createAdminPoliciesRepository>;
