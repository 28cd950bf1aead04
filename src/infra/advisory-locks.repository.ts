import type { Knex } from 'knex';

/**
 * PostgreSQL advisory locks, for work that one process at a time should do. A lock is
 * taken inside a transaction and held until it ends, so a process that dies lets go.
 */
export function createAdvisoryLocksRepository(db: Knex | Knex.Transaction) {
  return {
    /** Takes the named lock for the rest of the transaction; false when another holds it. */
    async tryLock(name: string): Promise<boolean> {
      const { rows } = (await db.raw('select pg_try_advisory_xact_lock(hashtext(?)) as locked', [name])) as { rows: { locked: boolean }[] };
      return rows[0]?.locked === true;
    },

    /** Waits for the named lock and holds it for the rest of the transaction (work that must take turns). */
    async lock(name: string): Promise<void> {
      await db.raw('select pg_advisory_xact_lock(hashtext(?))', [name]);
    },
  };
}

export type AdvisoryLocksRepository = ReturnType<typeof createAdvisoryLocksRepository>;
