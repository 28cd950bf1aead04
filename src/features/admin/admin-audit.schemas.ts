import { z } from 'zod';
import type { FieldErrors } from '../../infra/errors';
import { optionalText } from '../../http/validate';
import type { AuditCursor, AuditFilter } from './admin-audit.repository';

/**
 * Every action the console and the operator commands record. The filter offers these, and
 * each has a label (admin.audit.actions.*); an entry of another kind shows its raw name.
 */
export const AUDIT_ACTIONS = [
  'user_created',
  'user_locked',
  'user_unlocked',
  'two_step_reset',
  'password_reset_sent',
  'verification_resent',
  'email_marked_verified',
  'role_changed',
  'sessions_ended',
  'session_ended',
  'token_revoked',
  'app_password_revoked',
  'ssh_key_deleted',
  'user_deleted',
  'policy_changed',
  'application_registered',
  'application_removed',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string) => {
  const date = new Date(`${v}T00:00:00Z`);
  return DAY.test(v) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
};
const CURSOR = /^\d{1,18}$/;

/** A calendar day (yyyy-mm-dd) that exists: 2026-02-30 does not. */
const day = z
  .string({ error: 'validation.notText' })
  .optional()
  .transform((v) => v?.trim() || undefined)
  .refine((v) => v === undefined || isDay(v), 'admin.audit.errors.date');

const cursor = z
  .string({ error: 'admin.audit.errors.cursor' })
  .optional()
  .refine((v) => v === undefined || v === '' || CURSOR.test(v), 'admin.audit.errors.cursor')
  .transform((v) => v || undefined);

/** The audit log's filters, from the page's query string, the exports' and the API's alike. */
export const auditQuerySchema = z.object({
  administrator: optionalText({ max: 64 }),
  person: optionalText({ max: 64 }),
  kind: z
    .string({ error: 'admin.audit.errors.kind' })
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.enum(AUDIT_ACTIONS, { error: 'admin.audit.errors.kind' }).optional()),
  from: day,
  to: day,
  before: cursor,
  after: cursor,
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** What the schema cannot see field by field: a range that ends before it starts, two cursors at once. */
export function auditQueryRules(valid: Partial<AuditQuery>): FieldErrors {
  const errors: FieldErrors = {};
  if (valid.from && valid.to && valid.to < valid.from) errors.to = { key: 'admin.audit.errors.range' };
  if (valid.before && valid.after) errors.before = { key: 'admin.audit.errors.cursor' };
  return errors;
}

/** The days as instants in UTC: `to` includes its whole day. */
export function auditFilterOf(query: AuditQuery): AuditFilter {
  const until = query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000) : undefined;
  return { actor: query.administrator, target: query.person, action: query.kind, since: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined, until };
}

export const auditCursorOf = (query: AuditQuery): AuditCursor => ({ before: query.before, after: query.after });
