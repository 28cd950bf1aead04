import type { Clock } from '../../infra/clock';
import type { Links } from '../../infra/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import { browserAndOs } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { BoundRepositories } from '../../repositories';
import { formatWhen } from '../password/password-changes';
import type { User } from '../users/user';

/** Changes to how someone signs in, or who can act for them, that they are always told about by mail. */
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
] as const;

export type NoticeKind = (typeof NOTICES)[number];

export type SecurityEventType =
  | NoticeKind
  | 'recovery_code_used'
  | 'token_revoked'
  | 'token_used_from_new_ip'
  | 'token_refused_ip'
  | 'app_password_revoked'
  | 'ssh_key_removed';

const notifies = (type: SecurityEventType): type is NoticeKind => (NOTICES as readonly string[]).includes(type);

/**
 * Records a security event in the caller's transaction and, for the changes people must
 * hear about, queues a notice mail in the same transaction.
 */
export function createSecurityNotices(deps: { mail: MailQueue; links: Links; clock: Clock }) {
  return {
    async record(tx: BoundRepositories, user: User, type: SecurityEventType, ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'locale'>, data: Record<string, string> = {}): Promise<void> {
      const now = deps.clock.now();
      await tx.events.record({ userId: user.id, type, ip: ctx.ip, userAgent: ctx.userAgent, data, now });
      if (!notifies(type)) return;
      const locale = user.language ?? ctx.locale;
      await deps.mail.queue(tx.outbox, {
        to: user.email,
        template: 'security_notice',
        locale,
        data: { firstName: user.firstName, kind: type, detail: data.name ?? '', when: formatWhen(now, locale), ip: ctx.ip, ...browserAndOs(ctx.userAgent), actionLink: deps.links.forgotPassword() },
      });
    },
  };
}

export type SecurityNotices = ReturnType<typeof createSecurityNotices>;
