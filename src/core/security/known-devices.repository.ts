import type { Knex } from 'knex';

/** Devices an account has signed in (or reset its password) from, known by a digest of their device cookie. */
export function createKnownDevicesRepository(db: Knex | Knex.Transaction) {
  return {
    /** Records a sign-in from this device; true when the account had never seen it. */
    async remember(userId: string, deviceHash: string, now: Date): Promise<boolean> {
      const inserted = await db('known_devices')
        .insert({ user_id: userId, device_hash: deviceHash, first_seen_at: now, last_seen_at: now })
        .onConflict(['user_id', 'device_hash'])
        .ignore()
        .returning('id');
      if (inserted.length > 0) return true;
      await db('known_devices').where({ user_id: userId, device_hash: deviceHash }).update({ last_seen_at: now });
      return false;
    },

    /** Whether this device completed a sign-in (or a reset) for the account at or after `since`. */
    async seenSince(userId: string, deviceHash: string, since: Date): Promise<boolean> {
      const row = await db('known_devices').where({ user_id: userId, device_hash: deviceHash }).andWhere('last_seen_at', '>=', since).first('id');
      return row !== undefined;
    },

    /** Retention: up to `limit` devices last seen before `cutoff`; returns how many went. */
    async deleteNotSeenSince(cutoff: Date, limit: number): Promise<number> {
      return db('known_devices').whereIn('id', db('known_devices').select('id').where('last_seen_at', '<', cutoff).limit(limit)).del();
    },
  };
}

export type KnownDevicesRepository = ReturnType<typeof createKnownDevicesRepository>;
