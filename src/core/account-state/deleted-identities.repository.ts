import crypto from 'node:crypto';
import type { Knex } from 'knex';

const digest = (kind: 'username' | 'email', value: string) => crypto.createHash('sha256').update(`${kind}:${value.toLowerCase()}`).digest('hex');

/** Usernames and addresses of deleted accounts, held back for a while (as digests only). */
export function createDeletedIdentitiesRepository(db: Knex | Knex.Transaction) {
  return {
    async reserve(identity: { username: string; email: string }, until: Date): Promise<void> {
      await db('deleted_identities')
        .insert([
          { digest: digest('username', identity.username), reserved_until: until },
          { digest: digest('email', identity.email), reserved_until: until },
        ])
        .onConflict('digest')
        .merge();
    },

    /** Retention: up to `limit` reservations that ended by `now`; returns how many went. */
    async deleteEnded(now: Date, limit: number): Promise<number> {
      return db('deleted_identities').whereIn('digest', db('deleted_identities').select('digest').where('reserved_until', '<=', now).limit(limit)).del();
    },

    async isReserved(kind: 'username' | 'email', value: string, now: Date): Promise<boolean> {
      const row = await db('deleted_identities').where({ digest: digest(kind, value) }).andWhere('reserved_until', '>', now).first();
      return Boolean(row);
    },
  };
}

export type DeletedIdentitiesRepository = ReturnType<typeof createDeletedIdentitiesRepository>;
