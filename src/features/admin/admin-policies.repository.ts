import type { Knex } from 'knex';

/** A policy an administrator set in the console. */
export interface StoredPolicy {
  key: string;
  value: unknown;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The console's policies, one row each: read per request, so every process sees a change at once. */
export function createAdminPoliciesRepository(db: Knex | Knex.Transaction) {
  return {
    async all(): Promise<StoredPolicy[]> {
      const rows = await db('admin_policies').select('*');
      return rows.map((r: Record<string, unknown>) => ({
        key: r.key as string,
        value: typeof r.value === 'string' ? JSON.parse(r.value) : r.value,
        updatedBy: (r.updated_by as string | null) ?? null,
        updatedAt: new Date(r.updated_at as string),
      }));
    },

    async set(key: string, value: unknown, updatedBy: string, now: Date): Promise<void> {
      await db('admin_policies')
        .insert({ key, value: JSON.stringify(value), updated_by: updatedBy, updated_at: now })
        .onConflict('key')
        .merge();
    },
  };
}

export type AdminPoliciesRepository = ReturnType<typeof createAdminPoliciesRepository>;
