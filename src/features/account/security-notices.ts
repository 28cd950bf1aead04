import type { Clock } from '../../infra/clock';
import type { Links } from '../../infra/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import { browserAndOs } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { BoundRepositories } from '../../repositories';
import { formatWhen } from '../password/password-changes';
import type { User } from '../users/user';

/** Changes to how someone signs in that they are always told about by mail. */
export type NoticeKind = 'mfa_enabled' | 'mfa_disabled' | 'recovery_codes_regenerated' | 'passkey_added' | 'passkey_removed' | 'mfa_reset';

export type SecurityEventType = NoticeKind | 'recovery_code_used';

/**
 * Records a security event in the caller's transaction and, for the changes people must
 * hear about, queues a notice mail in the same transaction.
 */
export function createSecurityNotices(deps: { mail: MailQueue; links: Links; clock: Clock }) {
  return {
    async record(tx: BoundRepositories, user: User, type: SecurityEventType, ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'locale'>, data: Record<string, string> = {}): Promise<void> {
      const now = deps.clock.now();
      await tx.events.record({ userId: user.id, type, ip: ctx.ip, userAgent: ctx.userAgent, data, now });
      if (type === 'recovery_code_used') return;
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
