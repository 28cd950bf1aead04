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

    async countLiveByUser(userId: string, now: Date): Promise<number> {
      const row = await db('sessions').where({ user_id: userId }).andWhere('expires_at', '>', now).count<{ count: string | number }[]>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },

    /** Handles of the user's sessions that were deleted (expired ones too: they were still theirs). */
    async deleteForUser(userId: string, ids: string[] | 'all', exceptId: string | null): Promise<string[]> {
      const query = db('sessions').where({ user_id: userId });
      if (ids !== 'all') query.whereIn('id', ids);
      if (exceptId) query.andWhereNot({ id: exceptId });
      const rows = (await query.del().returning('id')) as Array<{ id: string }>;
      return rows.map((row) => row.id);
    },

    async recordEnded(handles: string[], reason: string, expiresAt: Date): Promise<void> {
      if (handles.length === 0) return;
      await db('ended_sessions')
        .insert(handles.map((handle) => ({ handle, reason, expires_at: expiresAt })))
        .onConflict('handle')
        .merge();
    },

    async takeEnded(handle: string, now: Date): Promise<string | undefined> {
      const [row] = (await db('ended_sessions').where({ handle }).andWhere('expires_at', '>', now).del().returning('reason')) as Array<{ reason: string }>;
      return row?.reason;
    },

    async deleteExpired(now: Date): Promise<number> {
      const sessions = await db('sessions').where('expires_at', '<=', now).del();
      await db('ended_sessions').where('expires_at', '<=', now).del();
      return sessions;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
