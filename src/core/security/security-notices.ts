import type { Clock } from '../../infra/clock';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import { browserAndOs } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { SecurityEventsRepository } from './security-events.repository';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { OneTimeLinkTables, OneTimeLinks } from '../one-time-links/one-time-links';
import { formatWhen } from '../../infra/mailer/mail-dates';
import type { User } from '../users/user';

/** The tables this module reads and writes. */
export type NoticeTables = OneTimeLinkTables & { events: SecurityEventsRepository; outbox: OutboxRepository };

/**
 * Every kind of security event, grouped as the Activity tab's filter shows them. Each is
 * recorded by the flow that causes it, in that flow's transaction.
 */
export const EVENT_GROUPS = [
  { id: 'signIn', types: ['sign_in', 'sign_in_failed', 'sign_out', 'session_revoked'] },
  { id: 'account', types: ['password_changed', 'password_reset', 'email_change_requested', 'email_changed', 'email_change_undone', 'recovery_email_changed', 'recovery_email_removed', 'identity_connected', 'identity_disconnected', 'app_allowed', 'app_revoked'] },
  { id: 'twoStep', types: ['mfa_enabled', 'mfa_disabled', 'recovery_code_used', 'recovery_codes_regenerated', 'passkey_added', 'passkey_removed', 'mfa_reset'] },
  { id: 'api', types: ['token_created', 'token_regenerated', 'token_used_from_new_ip', 'token_refused_ip', 'token_revoked', 'app_password_created', 'app_password_revoked', 'ssh_key_added', 'ssh_key_removed'] },
  {
    id: 'admin',
    types: ['profile_locked', 'profile_unlocked', 'directory_locked', 'lockdown', 'sessions_ended_by_admin', 'credential_revoked_by_admin', 'password_reset_sent_by_admin', 'verification_sent_by_admin', 'email_verified_by_admin', 'role_granted', 'role_revoked'],
  },
] as const;

export type SecurityEventType = (typeof EVENT_GROUPS)[number]['types'][number];

const EVENT_TYPES: readonly string[] = EVENT_GROUPS.flatMap((g) => g.types);
export const isEventType = (value: string): value is SecurityEventType => EVENT_TYPES.includes(value);

/** Events worth a mail of their own (password and email changes have their own mails). */
const NOTICES = [
  'mfa_enabled',
  'mfa_disabled',
  'recovery_codes_regenerated',
  'passkey_added',
  'passkey_removed',
  'mfa_reset',
  'token_created',
  'token_regenerated',
  'app_password_created',
  'ssh_key_added',
  'identity_connected',
  'identity_disconnected',
  'app_allowed',
  'profile_locked',
  'directory_locked',
  'profile_unlocked',
  'sessions_ended_by_admin',
  'credential_revoked_by_admin',
  'role_granted',
  'role_revoked',
] as const;

/** A notice without an event type of its own: a sign-in from a device the account has not seen. */
export type NoticeKind = (typeof NOTICES)[number] | 'new_device';

const notifies = (type: SecurityEventType): type is (typeof NOTICES)[number] => (NOTICES as readonly string[]).includes(type);

/** How long a "This wasn't me" link in a notice works. */
export const LOCKDOWN_LINK_MS = 7 * 86_400_000;

export type EventContext = Pick<RequestContext, 'ip' | 'userAgent' | 'locale'>;

/**
 * Records security events in the caller's transaction and, for the changes people must
 * hear about, queues a notice mail in the same transaction. Every notice carries a
 * single-use "This wasn't me" link that locks the account down.
 */
export function createSecurityNotices(deps: { mail: MailQueue; links: Links; clock: Clock; oneTimeLinks: OneTimeLinks }) {
  /** A fresh "This wasn't me" link for a mail about this account. */
  const lockdownLink = async (tx: NoticeTables, user: User): Promise<string> =>
    deps.links.lockdown(await deps.oneTimeLinks.issue(tx, { purpose: 'lockdown', userId: user.id, lifetimeMs: LOCKDOWN_LINK_MS }));

  async function notify(tx: NoticeTables, user: User, kind: NoticeKind, ctx: EventContext, detail = ''): Promise<void> {
    const locale = user.language ?? ctx.locale;
    await deps.mail.queue(tx.outbox, {
      to: user.email,
      template: 'security_notice',
      locale,
      data: { firstName: user.firstName, kind, detail, when: formatWhen(deps.clock.now(), locale), ip: ctx.ip, ...browserAndOs(ctx.userAgent), notMeLink: await lockdownLink(tx, user) },
    });
  }

  return {
    lockdownLink,
    notify,

    async record(tx: NoticeTables, user: User, type: SecurityEventType, ctx: EventContext, data: Record<string, string> = {}): Promise<void> {
      await tx.events.record({ userId: user.id, type, ip: ctx.ip, userAgent: ctx.userAgent, data, now: deps.clock.now() });
      if (notifies(type)) await notify(tx, user, type, ctx, data.name ?? '');
    },
  };
}

export type SecurityNotices = ReturnType<typeof createSecurityNotices>;
