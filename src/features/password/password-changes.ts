import type { Clock } from '../../infra/clock';
import { ForbiddenError } from '../../infra/errors';
import { formatWhen } from '../../infra/mailer/mail-dates';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { browserAndOs } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { KnownDevicesRepository } from '../../core/security/known-devices.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { OneTimeLinks } from '../../core/one-time-links/one-time-links';
import type { User } from '../../core/users/user';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { knownDevices: KnownDevicesRepository };

/** Refused: a directory account's password is the directory's, and never set here (by any route). */
export class PasswordInDirectoryError extends ForbiddenError {
  constructor() {
    super('directory.password.managed', 'password_in_directory');
  }
}

/** Links that let someone choose a password. */
export const PASSWORD_LINK_PURPOSES = ['password_reset', 'password_set'] as const;

/**
 * What happens whenever a password changes, by whatever route (reset link, profile,
 * operator): the new hash is stored, the reset and verification links mailed before it
 * end, the browser that made the change stays trusted for the sign-in limits, the owner is
 * told by mail, all in one transaction; then every session of the account ends.
 */
export function createPasswordChanges(deps: { repos: Repos<Tables>; mail: MailQueue; sessions: SessionRegistry; clock: Clock; links: Links; notices: SecurityNotices; oneTimeLinks: OneTimeLinks }) {
  return {
    /** `via` says which route it took: the profile (knowing the old password) or an emailed link. */
    async apply(user: User, passwordHash: string, ctx: RequestContext, via: 'profile' | 'link', work?: (tx: Tables) => Promise<void>): Promise<void> {
      if (user.source === 'ldap') throw new PasswordInDirectoryError();
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
