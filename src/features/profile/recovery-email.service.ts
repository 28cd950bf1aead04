import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { Repos } from '../../core/repos';
import { InvalidLinkError, type OneTimeLinks } from '../../core/one-time-links/one-time-links';
import type { RequestContext } from '../../http/request-context';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { assertProfileEditable } from '../../core/account-state/profile-lock';

/** The tables this module reads and writes. */
type Tables = NoticeTables;

/**
 * The optional second address where password reset links go once it is verified (by a
 * link sent to it); until then resets keep going to the primary address. Only an account
 * whose primary address is verified may have one: otherwise anyone could sign up with a
 * stranger's address and claim a mailbox of their own for its reset links.
 */
export function createRecoveryEmailService(deps: { repos: Repos<Tables>; oneTimeLinks: OneTimeLinks; mail: MailQueue; links: Links; clock: Clock; tokenLifetimeMs: number; profileLocked: () => Promise<boolean>; notices: SecurityNotices }) {
  const { repos, oneTimeLinks, mail, links, clock, tokenLifetimeMs } = deps;
  return {
    async set(user: User, email: string, ctx: RequestContext): Promise<void> {
      assertProfileEditable(user, await deps.profileLocked());
      if (email.toLowerCase() === user.email.toLowerCase()) throw ValidationError.field('recovery_email', 'profile.recovery.errors.samePrimary');
      if (!user.emailVerifiedAt) throw ValidationError.field('recovery_email', 'profile.recovery.errors.primaryUnverified');
      const now = clock.now();
      await repos.transaction(async (tx) => {
        await tx.oneTimeTokens.revokeForUser(user.id, ['recovery_email_verify'], now);
        await tx.users.setRecoveryEmail(user.id, email, null, now);
        await deps.notices.record(tx, user, 'recovery_email_changed', ctx, { email });
        const token = await oneTimeLinks.issue(tx, { purpose: 'recovery_email_verify', userId: user.id, lifetimeMs: tokenLifetimeMs, payload: { email } });
        await mail.queue(tx.outbox, {
          to: email,
          template: 'recovery_email_verify',
          locale: user.language ?? ctx.locale,
          data: { firstName: user.firstName, link: links.confirmRecoveryEmail(token), hours: Math.round(tokenLifetimeMs / 3_600_000) },
          expiringLink: { lifetimeMs: tokenLifetimeMs, renewLink: links.account() },
        });
      });
    },

    async remove(user: User, ctx: RequestContext): Promise<void> {
      assertProfileEditable(user, await deps.profileLocked());
      const now = clock.now();
      await repos.transaction(async (tx) => {
        await tx.oneTimeTokens.revokeForUser(user.id, ['recovery_email_verify'], now);
        await tx.users.setRecoveryEmail(user.id, null, null, now);
        await deps.notices.record(tx, user, 'recovery_email_removed', ctx, { email: user.recoveryEmail ?? '' });
      });
    },

    async describe(token: string): Promise<{ email: string }> {
      const { token: found } = await oneTimeLinks.open(token, ['recovery_email_verify'], 'verification');
      return { email: String(found.payload.email) };
    },

    async confirm(token: string): Promise<{ email: string }> {
      const { token: found, user } = await oneTimeLinks.open(token, ['recovery_email_verify'], 'verification');
      // A link mailed before the rule above existed.
      if (!user.emailVerifiedAt) throw new InvalidLinkError('verification');
      const email = String(found.payload.email);
      await repos.transaction(async (tx) => {
        await oneTimeLinks.spend(tx, found, 'verification');
        if (!(await tx.users.verifyRecoveryEmail(user.id, email, clock.now()))) throw new InvalidLinkError('verification');
      });
      return { email };
    },
  };
}

export type RecoveryEmailService = ReturnType<typeof createRecoveryEmailService>;
