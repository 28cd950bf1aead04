import type { Knex } from 'knex';

export interface SecurityEventInput {
  userId: string;
  type: string;
  ip?: string;
  userAgent?: string;
  data?: Record<string, unknown>;
  now: Date;
}

/** The activity log: what happened to an account, written in the transaction that did it. */
export function createSecurityEventsRepository(db: Knex | Knex.Transaction) {
  return {
    async record(event: SecurityEventInput): Promise<void> {
      await db('security_events').insert({
        user_id: event.userId,
        type: event.type,
        ip: event.ip ?? null,
        user_agent: event.userAgent?.slice(0, 512) ?? null,
        data: JSON.stringify(event.data ?? {}),
        created_at: event.now,
      });
    },
  };
}

export type SecurityEventsRepository = ReturnType<typeof createSecurityEventsRepository>;
