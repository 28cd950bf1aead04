import type { SessionData } from 'express-session';
import type { Db } from '../db';

interface SessionRow {
  id: string;
  user_id: string | null;
  data: SessionData;
  expires_at: Date;
}

/** The `sessions` table behind the embedded default's session store. */
export function createSessionsRepository(db: Db) {
  return {
    async find(id: string, now: Date): Promise<SessionData | undefined> {
      const row = await db<SessionRow>('sessions').select('data').where({ id }).andWhere('expires_at', '>', now).first();
      return row?.data;
    },

    async upsert(id: string, userId: string | null, data: SessionData, expiresAt: Date): Promise<void> {
      await db<SessionRow>('sessions')
        .insert({ id, user_id: userId, data: JSON.stringify(data) as unknown as SessionData, expires_at: expiresAt })
        .onConflict('id')
        .merge(['user_id', 'data', 'expires_at']);
    },

    async delete(id: string): Promise<void> {
      await db('sessions').where({ id }).del();
    },

    async listLiveByUser(userId: string, now: Date): Promise<SessionRow[]> {
      return db<SessionRow>('sessions')
        .select('id', 'user_id', 'data', 'expires_at')
        .where({ user_id: userId })
        .andWhere('expires_at', '>', now)
        .orderBy('expires_at', 'desc');
    },

    async deleteForUser(userId: string, id: string): Promise<number> {
      return db('sessions').where({ user_id: userId, id }).del();
    },

    async deleteAllForUser(userId: string, exceptId: string | null, now: Date): Promise<number> {
      const query = db('sessions').where({ user_id: userId }).andWhere('expires_at', '>', now);
      if (exceptId) query.andWhereNot({ id: exceptId });
      return query.del();
    },

    async deleteExpired(now: Date): Promise<number> {
      return db('sessions').where('expires_at', '<=', now).del();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
