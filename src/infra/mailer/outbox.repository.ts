import type { Knex } from 'knex';

export interface OutboxMessage {
  id: string;
  to: string;
  template: string;
  locale: string;
  /** Encrypted template data; null once sent. */
  data: string | null;
  attempts: number;
  createdAt: Date;
}

interface OutboxRow {
  id: string;
  to: string;
  template: string;
  locale: string;
  data: string | null;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  created_at: Date;
  /** Queue order, for messages queued in the same instant. */
  seq: string;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  to: row.to,
  template: row.template,
  locale: row.locale,
  data: row.data,
  attempts: row.attempts,
  createdAt: new Date(row.created_at),
});

export function createOutboxRepository(db: Knex | Knex.Transaction) {
  const outbox = () => db<OutboxRow>('mail_outbox');
  return {
    async insert(message: { to: string; template: string; locale: string; data: string; now: Date }): Promise<void> {
      await outbox().insert({ to: message.to, template: message.template, locale: message.locale, data: message.data, next_attempt_at: message.now, created_at: message.now });
    },

    /**
     * Claims up to `limit` due messages for `leaseMs`. SKIP LOCKED lets several processes
     * claim at once without waiting for, or taking, each other's rows; the lease makes a
     * message that a crashed process had claimed due again later.
     */
    async claimDue(now: Date, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
      const due = outbox()
        .select('id')
        .whereNull('sent_at')
        .whereNull('failed_at')
        .where('next_attempt_at', '<=', now)
        .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
        .orderBy([{ column: 'next_attempt_at' }, { column: 'seq' }])
        .limit(limit)
        .forUpdate()
        .skipLocked();
      const rows = await outbox()
        .whereIn('id', due)
        .update({ locked_until: new Date(now.getTime() + leaseMs), attempts: db.raw('attempts + 1') })
        .returning('*');
      // RETURNING comes back in no particular order; mail goes out in the order it was queued.
      return (rows as OutboxRow[]).sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || Number(a.seq) - Number(b.seq)).map(toMessage);
    },

    /** Sent: the data (which may hold one-time links) is no longer needed and is removed. */
    async markSent(id: string, now: Date): Promise<void> {
      await outbox().where({ id }).update({ sent_at: now, data: null, locked_until: null, last_error: null });
    },

    async markFailedAttempt(id: string, error: string, nextAttemptAt: Date): Promise<void> {
      await outbox().where({ id }).update({ last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt, locked_until: null });
    },

    async markGivenUp(id: string, error: string, now: Date): Promise<void> {
      await outbox().where({ id }).update({ failed_at: now, last_error: error.slice(0, 1000), data: null, locked_until: null });
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
