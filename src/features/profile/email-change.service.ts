import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { browserAndOs } from '../../infra/user-agent';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import type { Repos } from '../../core/repos';
import { InvalidLinkError, type OneTimeLinks } from '../../core/one-time-links/one-time-links';
import { newSecretToken } from '../../core/one-time-links/one-time-token';
import { formatWhen } from '../../infra/mailer/mail-dates';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import { assertProfileEditable } from '../../core/account-state/profile-lock';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { deletedIdentities: DeletedIdentitiesRepository };

const DAY = 86_400_000;
export const UNDO_LINK_DAYS = 7;

export interface EmailChangeDeps {
  repos: Repos<Tables>;
  oneTimeLinks: OneTimeLinks;
  mail: MailQueue;
  links: Links;
  sessions: SessionRegistry;
  clock: Clock;
  tokenLifetimeMs: number;
  profileLocked: () => Promise<boolean>;
  notices: SecurityNotices;
}

export interface PendingEmailChange {
  newEmail: string;
  expiresAt: Date;
}

/**
 * Changing the primary address: nothing changes until a link sent to the new address is
 * followed; then the old address gets a notice with a link to undo the change and sign
 * out everywhere. An address that belongs to another account is never revealed: the
 * requester sees the same "pending" state, and that address's owner is told instead.
 */
export function createEmailChangeService(deps: EmailChangeDeps) {
  const { repos, oneTimeLinks, mail, links, sessions, clock, tokenLifetimeMs } = deps;

  return {
    async pending(user: User): Promise<PendingEmailChange | null> {
      const token = await repos.oneTimeTokens.findPending(user.id, 'email_change', clock.now());
      return token ? { newEmail: String(token.payload.newEmail), expiresAt: token.expiresAt } : null;
    },

    async request(user: User, newEmail: string, ctx: RequestContext): Promise<void> {
      assertProfileEditable(user, await deps.profileLocked());
      if (newEmail.toLowerCase() === user.email.toLowerCase()) throw ValidationError.field('email', 'profile.email.errors.same');
      const owner = await repos.users.findByEmail(newEmail);
      const now = clock.now();
      // The address of an account deleted within DELETED_RESERVE_DAYS is held back like a taken one (no one to tell).
      const reserved = !owner && (await repos.deletedIdentities.isReserved('email', newEmail, now));
      await repos.transaction(async (tx) => {
        await tx.oneTimeTokens.revokeForUser(user.id, ['email_change'], now);
        await deps.notices.record(tx, user, 'email_change_requested', ctx, { email: newEmail });
        if (owner || reserved) {
          // A pending change whose link exists nowhere: it looks the same and can only expire or be cancelled.
          await tx.oneTimeTokens.insert({ purpose: 'email_change', userId: user.id, tokenHash: newSecretToken().hash, payload: { newEmail }, expiresAt: new Date(now.getTime() + tokenLifetimeMs), now });
          if (owner) await mail.queue(tx.outbox, { to: owner.email, template: 'email_change_taken', locale: owner.language ?? 'en', data: { ip: ctx.ip, ...browserAndOs(ctx.userAgent) } });
          return;
        }
        const token = await oneTimeLinks.issue(tx, { purpose: 'email_change', userId: user.id, lifetimeMs: tokenLifetimeMs, payload: { newEmail } });
        await mail.queue(tx.outbox, {
          to: newEmail,
          template: 'email_change_verify',
          locale: user.language ?? ctx.locale,
          data: { firstName: user.firstName, newEmail, link: links.confirmEmailChange(token), hours: Math.round(tokenLifetimeMs / 3_600_000) },
          expiringLink: { lifetimeMs: tokenLifetimeMs, renewLink: links.account() },
        });
      });
    },

    async cancel(user: User): Promise<void> {
      await repos.oneTimeTokens.revokeForUser(user.id, ['email_change'], clock.now());
    },

    /** What the confirmation link would do, for its page. */
    async describe(token: string): Promise<{ newEmail: string }> {
      const { token: found } = await oneTimeLinks.open(token, ['email_change'], 'email_change');
      return { newEmail: String(found.payload.newEmail) };
    },

    /** Makes the change and mails the old address a link to undo it. */
    async confirm(token: string, ctx: RequestContext): Promise<{ user: User; newEmail: string }> {
      const { token: found, user } = await oneTimeLinks.open(token, ['email_change'], 'email_change');
      const newEmail = String(found.payload.newEmail);
      const now = clock.now();
      try {
        await repos.transaction(async (tx) => {
          await oneTimeLinks.spend(tx, found, 'email_change');
          await tx.users.setEmail(user.id, newEmail, now);
          await oneTimeLinks.endOnCredentialChange(tx, user.id);
          await deps.notices.record(tx, user, 'email_changed', ctx, { email: newEmail });
          const undo = await oneTimeLinks.issue(tx, { purpose: 'email_revert', userId: user.id, lifetimeMs: UNDO_LINK_DAYS * DAY, payload: { oldEmail: user.email, newEmail } });
          await mail.queue(tx.outbox, {
            to: user.email,
            template: 'email_changed',
            locale: user.language ?? ctx.locale,
            data: { firstName: user.firstName, newEmail, when: formatWhen(now, user.language ?? ctx.locale), undoLink: links.undoEmailChange(undo), days: UNDO_LINK_DAYS, ip: ctx.ip, ...browserAndOs(ctx.userAgent), notMeLink: await deps.notices.lockdownLink(tx, user) },
          });
        });
      } catch (err) {
        // Someone took the address between the request and the click.
        if (err instanceof DuplicateUserError) throw new InvalidLinkError('email_change');
        throw err;
      }
      return { user, newEmail };
    },

    async describeUndo(token: string): Promise<{ oldEmail: string; newEmail: string }> {
      const { token: found } = await oneTimeLinks.open(token, ['email_revert'], 'email_change');
      return { oldEmail: String(found.payload.oldEmail), newEmail: String(found.payload.newEmail) };
    },

    /** Puts the old address back and signs the account out everywhere. */
    async undo(token: string, ctx: RequestContext): Promise<{ user: User; oldEmail: string }> {
      const { token: found, user } = await oneTimeLinks.open(token, ['email_revert'], 'email_change');
      const oldEmail = String(found.payload.oldEmail);
      const now = clock.now();
      try {
        await repos.transaction(async (tx) => {
          await oneTimeLinks.spend(tx, found, 'email_change');
          await tx.users.setEmail(user.id, oldEmail, now);
          await oneTimeLinks.endOnCredentialChange(tx, user.id);
          await tx.oneTimeTokens.revokeForUser(user.id, ['email_revert'], now);
          await deps.notices.record(tx, user, 'email_change_undone', ctx, { email: oldEmail });
        });
      } catch (err) {
        if (err instanceof DuplicateUserError) throw new InvalidLinkError('email_change');
        throw err;
      }
      await sessions.destroyAllForUser(user.id, undefined, 'signed_out_everywhere');
      return { user, oldEmail };
    },
  };
}

export type EmailChangeService = ReturnType<typeof createEmailChangeService>;
