import type { OneTimeLinkTables } from '../../core/one-time-links/one-time-links';
import type { Clock } from '../../infra/clock';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { Limiter } from '../../infra/rate-limit';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import { InvalidLinkError, type OneTimeLinks } from '../../core/one-time-links/one-time-links';

/** The tables this module reads and writes. */
type Tables = OneTimeLinkTables & { outbox: OutboxRepository };

export interface EmailVerificationDeps {
  repos: Repos<Tables>;
  oneTimeLinks: OneTimeLinks;
  mail: MailQueue;
  links: Links;
  clock: Clock;
  tokenLifetimeMs: number;
  resendLimiter: Limiter;
}

export type VerificationOutcome = 'verified' | 'already_verified';

/**
 * Confirming that a primary email address belongs to its account. The link opens a page
 * whose button posts the token: a GET never spends it, so mail scanners that open links
 * cannot use it up. The token is bound to the address it was sent to.
 */
export function createEmailVerificationService({ repos, oneTimeLinks, mail, links, clock, tokenLifetimeMs, resendLimiter }: EmailVerificationDeps) {
  async function queueFor(tx: Tables, user: User): Promise<void> {
    const token = await oneTimeLinks.issue(tx, { purpose: 'email_verify', userId: user.id, lifetimeMs: tokenLifetimeMs, payload: { email: user.email } });
    await mail.queue(tx.outbox, {
      to: user.email,
      template: 'email_verification',
      locale: user.language ?? 'en',
      data: { firstName: user.firstName, link: links.verifyEmail(token), hours: Math.round(tokenLifetimeMs / 3_600_000) },
      // Signed in, the home page offers to send the link again.
      expiringLink: { lifetimeMs: tokenLifetimeMs, renewLink: links.home() },
    });
  }

  async function open(token: string) {
    const found = await oneTimeLinks.open(token, ['email_verify'], 'verification');
    if (found.token.payload.email !== found.user.email) throw new InvalidLinkError('verification');
    return found;
  }

  return {
    /** Queues the link in the caller's transaction (sign-up). */
    queueFor,

    /** "Send the link again", for a signed-in person whose address is not verified yet. */
    async resend(user: User): Promise<void> {
      if (user.emailVerifiedAt) return;
      await resendLimiter.consume(user.id);
      await repos.transaction((tx) => queueFor(tx, user));
    },

    /** The address the link would confirm, or InvalidLinkError. */
    async addressForToken(token: string): Promise<string> {
      return (await open(token)).user.email;
    },

    async confirm(token: string): Promise<VerificationOutcome> {
      const { token: found, user } = await open(token);
      const now = clock.now();
      return repos.transaction(async (tx) => {
        await oneTimeLinks.spend(tx, found, 'verification');
        await tx.oneTimeTokens.revokeForUser(user.id, ['email_verify'], now);
        return (await tx.users.markEmailVerified(user.id, user.email, now)) ? 'verified' : 'already_verified';
      });
    },
  };
}

export type EmailVerificationService = ReturnType<typeof createEmailVerificationService>;
