import type { Knex } from 'knex';

export interface SecurityEventInput {
  userId: string;
  type: string;
  ip?: string;
  userAgent?: string;
  data?: Record<string, unknown>;
  now: Date;
}

export interface SecurityEvent {
  id: string;
  type: string;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, string>;
  createdAt: Date;
}

type Row = Record<string, unknown>;
const toEvent = (r: Row): SecurityEvent => ({
  id: String(r.id),
  type: r.type as string,
  ip: (r.ip as string | null) ?? null,
  userAgent: (r.user_agent as string | null) ?? null,
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string>,
  createdAt: new Date(r.created_at as string),
});

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

    /**
     * One page, newest first, by keyset: events with an id below `before` (ids only grow),
     * so a page costs the same however deep it is and new events never shift it.
     */
    async page(userId: string, options: { before?: string; types?: readonly string[]; limit: number }): Promise<SecurityEvent[]> {
      const query = db('security_events').where({ user_id: userId });
      if (options.before) query.andWhere('id', '<', options.before);
      if (options.types) query.whereIn('type', options.types);
      return (await query.orderBy('id', 'desc').limit(options.limit)).map(toEvent);
    },

    /** Retention: up to `limit` events recorded before `cutoff`; returns how many went. */
    async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
      return db('security_events').whereIn('id', db('security_events').select('id').where('created_at', '<', cutoff).limit(limit)).del();
    },

    /** Everything, oldest first (for the data export). */
    async all(userId: string): Promise<SecurityEvent[]> {
      return (await db('security_events').where({ user_id: userId }).orderBy('id', 'asc')).map(toEvent);
    },
  };
}

export type SecurityEventsRepository = ReturnType<typeof createSecurityEventsRepository>;
