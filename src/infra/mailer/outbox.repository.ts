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
  /** When the message's link stops working, and where to ask for a new one; null for a message without such a link. */
  link: ExpiringLink | null;
}

export interface ExpiringLink {
  expiresAt: Date;
  renewLink: string;
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
  lease_token: string | null;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  created_at: Date;
  link_expires_at: Date | null;
  renew_link: string | null;
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
  link: row.link_expires_at && row.renew_link ? { expiresAt: new Date(row.link_expires_at), renewLink: row.renew_link } : null,
});

/** A claimed message, known by its id and the token of the lease that claimed it. */
export interface Lease {
  id: string;
  leaseToken: string;
}

export type ClaimedMessage = OutboxMessage & Lease;

const released = { locked_until: null, lease_token: null };

export function createOutboxRepository(db: Knex | Knex.Transaction) {
  const outbox = () => db<OutboxRow>('mail_outbox');
  const leaseEnd = (leaseMs: number) => db.raw("now() + ? * interval '1 millisecond'", [leaseMs]);
  const held = (message: Lease) => outbox().where({ id: message.id, lease_token: message.leaseToken });
  return {
    async insert(message: { to: string; template: string; locale: string; data: string; now: Date; link?: ExpiringLink }): Promise<void> {
      await outbox().insert({
        to: message.to,
        template: message.template,
        locale: message.locale,
        data: message.data,
        next_attempt_at: message.now,
        created_at: message.now,
        link_expires_at: message.link?.expiresAt ?? null,
        renew_link: message.link?.renewLink ?? null,
      });
    },

    /**
     * Claims the next due message for `leaseMs` under a fresh lease token. "Due" is the
     * service's clock (retries are scheduled by it); the lease is the database's clock,
     * so processes whose clocks disagree still agree on when a lease has run out.
     * SKIP LOCKED lets several processes claim at once without waiting for each other;
     * a lease that runs out (its process died) makes the message due again. A message waits
     * while an earlier one to the same recipient is pending (due later, or held by another
     * worker): retries back off by attempt, so without this a reset link asked for again
     * after an outage could arrive before the first one, and one recipient's messages would
     * arrive in any order.
     */
    async claimNext(dueBy: Date, leaseMs: number): Promise<ClaimedMessage | undefined> {
      const earlierPending = db<OutboxRow>('mail_outbox as earlier')
        .select(db.raw('1'))
        .whereRaw('earlier."to" = mail_outbox."to"')
        .whereRaw('earlier.seq < mail_outbox.seq')
        .whereNull('earlier.sent_at')
        .whereNull('earlier.failed_at');
      const next = outbox()
        .select('id')
        .whereNull('sent_at')
        .whereNull('failed_at')
        .where('next_attempt_at', '<=', dueBy)
        .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', db.raw('now()')))
        .whereNotExists(earlierPending)
        .orderBy([{ column: 'next_attempt_at' }, { column: 'seq' }])
        .limit(1)
        .forUpdate()
        .skipLocked();
      const [row] = (await outbox()
        .whereIn('id', next)
        .update({ locked_until: leaseEnd(leaseMs), lease_token: db.raw('gen_random_uuid()'), attempts: db.raw('attempts + 1') })
        .returning('*')) as OutboxRow[];
      return row && { ...toMessage(row), leaseToken: row.lease_token as string };
    },

    /** Extends a lease still held by `leaseToken`; false when it has been lost. */
    async renewLease(message: Lease, leaseMs: number): Promise<boolean> {
      return (await held(message).update({ locked_until: leaseEnd(leaseMs) })) === 1;
    },

    /**
     * Sent: the data (which may hold one-time links) is no longer needed and is removed.
     * Like every outcome below, it is recorded only by the holder of the lease; false
     * when the lease had been lost.
     */
    async markSent(message: Lease, now: Date): Promise<boolean> {
      return (await held(message).update({ sent_at: now, data: null, ...released, last_error: null })) === 1;
    },

    async markFailedAttempt(message: Lease, error: string, nextAttemptAt: Date): Promise<boolean> {
      return (await held(message).update({ last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt, ...released })) === 1;
    },

    async markGivenUp(message: Lease, error: string, now: Date): Promise<boolean> {
      return (await held(message).update({ failed_at: now, last_error: error.slice(0, 1000), data: null, ...released })) === 1;
    },

    /** Retention: up to `limit` messages sent before `cutoff`; returns how many went. */
    async deleteSentBefore(cutoff: Date, limit: number): Promise<number> {
      return outbox().whereIn('id', outbox().select('id').where('sent_at', '<', cutoff).limit(limit)).del();
    },

    /** Retention: up to `limit` messages given up before `cutoff`. */
    async deleteFailedBefore(cutoff: Date, limit: number): Promise<number> {
      return outbox().whereIn('id', outbox().select('id').where('failed_at', '<', cutoff).limit(limit)).del();
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
