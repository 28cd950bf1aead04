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

/** The administrators' audit trail: written in the transaction of the action it records (the table refuses edits). */
export function createAdminAuditRepository(db: Knex | Knex.Transaction) {
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
  };
}

export type AdminAuditRepository = ReturnType<typeof createAdminAuditRepository>;
