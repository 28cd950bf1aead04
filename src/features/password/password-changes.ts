import type { Clock } from '../../infra/clock';
import { FORMAT_TAGS, isLocale } from '../../infra/i18n';
import type { Links } from '../../infra/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { browserAndOs } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { BoundRepositories, Repositories } from '../../repositories';
import type { SecurityNotices } from '../account/security-notices';
import type { OneTimeLinks } from '../auth/one-time-links';
import type { User } from '../users/user';

/** Links that let someone choose a password. */
export const PASSWORD_LINK_PURPOSES = ['password_reset', 'password_set'] as const;

/**
 * What happens whenever a password changes, by whatever route (reset link, profile,
 * operator): the new hash is stored, the reset and verification links mailed before it
 * end, the browser that made the change stays trusted for the sign-in limits, the owner is
 * told by mail, all in one transaction; then every session of the account ends.
 */
export function createPasswordChanges(deps: { repos: Repositories; mail: MailQueue; sessions: SessionRegistry; clock: Clock; links: Links; notices: SecurityNotices; oneTimeLinks: OneTimeLinks }) {
  return {
    /** `via` says which route it took: the profile (knowing the old password) or an emailed link. */
    async apply(user: User, passwordHash: string, ctx: RequestContext, via: 'profile' | 'link', work?: (tx: BoundRepositories) => Promise<void>): Promise<void> {
      const now = deps.clock.now();
      await deps.repos.transaction(async (tx) => {
        await work?.(tx);
        await tx.users.setPassword(user.id, passwordHash, now);
        await deps.oneTimeLinks.endOnCredentialChange(tx, user.id);
        // It proved itself with the old password or an emailed link: strangers' guessing must not lock it out.
        if (ctx.device) await tx.knownDevices.remember(user.id, ctx.device, now);
        await deps.notices.record(tx, user, via === 'link' ? 'password_reset' : 'password_changed', ctx);
        await deps.mail.queue(tx.outbox, {
          to: user.email,
          template: 'password_changed',
          locale: user.language ?? ctx.locale,
          data: {
            firstName: user.firstName,
            when: formatWhen(now, user.language ?? ctx.locale),
            ip: ctx.ip,
            ...browserAndOs(ctx.userAgent),
            resetLink: deps.links.forgotPassword(),
            notMeLink: await deps.notices.lockdownLink(tx, user),
          },
        });
      });
      await deps.sessions.destroyAllForUser(user.id, undefined, 'password_changed');
    },
  };
}

export type PasswordChanges = ReturnType<typeof createPasswordChanges>;

/** A moment in mail: the recipient's language, in UTC (we do not know their time zone). */
export function formatWhen(date: Date, locale: string): string {
  const tag = isLocale(locale) ? FORMAT_TAGS[locale] : FORMAT_TAGS.en;
  return `${new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}
