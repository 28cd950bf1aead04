import type { Knex } from 'knex';

/** Who acted: an administrator, or an operator at the command line (no account; shown as such). */
export type AuditActor = { id: string; username: string } | typeof OPERATOR;

/** The operator commands' actor: no account id, so the log never mistakes them for someone signed in. */
export const OPERATOR = { id: null, username: 'operator' } as const;

export interface AdminAuditInput {
  actor: AuditActor;
  /** The account the action concerned, when it concerned one. */
  target?: { id: string; username: string };
  /** What was done: `user_locked`, `role_changed`, `policy_changed`, ... */
  action: string;
  ip?: string;
  userAgent?: string;
  /** What the action changed (never a secret). */
  data?: Record<string, unknown>;
  now: Date;
}

/** One entry as it was written, and whether the account it concerned still exists. */
export interface AuditEntry {
  id: string;
  createdAt: Date;
  /** Null for the operator commands. */
  actorId: string | null;
  actorUsername: string;
  targetId: string | null;
  targetUsername: string | null;
  targetExists: boolean;
  action: string;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
}

/** Which entries to list; names match case-insensitively, as usernames do. */
export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  /** From this instant on (inclusive). */
  since?: Date;
  /** Before this instant (exclusive). */
  until?: Date;
}

/** Where a page starts: below `before` (older), or above `after` (newer). */
export interface AuditCursor {
  before?: string;
  after?: string;
}

type Row = Record<string, unknown>;
const toEntry = (r: Row): AuditEntry => ({
  id: String(r.id),
  createdAt: new Date(r.created_at as string),
  actorId: (r.actor_id as string | null) ?? null,
  actorUsername: r.actor_username as string,
  targetId: (r.target_id as string | null) ?? null,
  targetUsername: (r.target_username as string | null) ?? null,
  targetExists: Boolean(r.target_exists),
  action: r.action as string,
  ip: (r.ip as string | null) ?? null,
  userAgent: (r.user_agent as string | null) ?? null,
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
});

/** The administrators' audit trail: written in the transaction of the action it records (the table refuses edits). */
export function createAdminAuditRepository(db: Knex | Knex.Transaction) {
  function filtered(filter: AuditFilter) {
    const query = db('admin_audit as a').leftJoin('users as u', 'u.id', 'a.target_id');
    if (filter.actor) query.whereRaw('lower(a.actor_username) = lower(?)', [filter.actor]);
    if (filter.target) query.whereRaw('lower(a.target_username) = lower(?)', [filter.target]);
    if (filter.action) query.where('a.action', filter.action);
    if (filter.since) query.where('a.created_at', '>=', filter.since);
    if (filter.until) query.where('a.created_at', '<', filter.until);
    return query.select('a.*', db.raw('u.id is not null as target_exists'));
  }

  return {
    async record(entry: AdminAuditInput): Promise<void> {
      await db('admin_audit').insert({
        created_at: entry.now,
        actor_id: entry.actor.id,
        actor_username: entry.actor.username,
        target_id: entry.target?.id ?? null,
        target_username: entry.target?.username ?? null,
        action: entry.action,
        ip: entry.ip ?? null,
        user_agent: entry.userAgent?.slice(0, 512) ?? null,
        data: JSON.stringify(entry.data ?? {}),
      });
    },

    /**
     * Up to `limit` entries next to the cursor, newest first, by keyset on the id (ids only
     * grow): a page costs the same however deep it is, and new entries never shift it.
     */
    async page(filter: AuditFilter, cursor: AuditCursor, limit: number): Promise<AuditEntry[]> {
      const query = filtered(filter);
      if (cursor.after) {
        const rows = await query.andWhere('a.id', '>', cursor.after).orderBy('a.id', 'asc').limit(limit);
        return rows.map(toEntry).reverse();
      }
      if (cursor.before) query.andWhere('a.id', '<', cursor.before);
      return (await query.orderBy('a.id', 'desc').limit(limit)).map(toEntry);
    },

    /**
     * Retention: up to `limit` entries recorded before `cutoff`; returns how many went. The
     * table's trigger refuses every other delete, so this marks its own (sub)transaction and
     * unmarks it before handing it back.
     */
    async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
      return db.transaction(async (trx) => {
        await trx.raw("set local atrium.audit_retention = 'on'");
        const deleted = await trx('admin_audit').whereIn('id', trx('admin_audit').select('id').where('created_at', '<', cutoff).orderBy('id').limit(limit)).del();
        await trx.raw("set local atrium.audit_retention = 'off'");
        return deleted;
      });
    },
  };
}

export type AdminAuditRepository = ReturnType<typeof createAdminAuditRepository>;
