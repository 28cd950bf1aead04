import type { Clock } from '../../infra/clock';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { RequestContext } from '../../http/request-context';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';

/** The tables this module reads and writes. */
type Tables = { deletedIdentities: DeletedIdentitiesRepository; outbox: OutboxRepository; users: UsersRepository };

const DAY = 86_400_000;

/**
 * Deleting an account, as promised: the user and everything that belongs to them go in one
 * transaction (the foreign keys cascade), a farewell goes to the old address through the
 * outbox in that same transaction, every session ends, and the username and address stay
 * reserved for DELETED_RESERVE_DAYS. There is no undo.
 */
export function createAccountDeletionService(deps: { repos: Repos<Tables>; sessions: SessionRegistry; mail: MailQueue; clock: Clock; reserveDays: number }) {
  return {
    async delete(user: User, ctx: RequestContext): Promise<void> {
      const now = deps.clock.now();
      await deps.repos.transaction(async (tx) => {
        await tx.deletedIdentities.reserve({ username: user.username, email: user.email }, new Date(now.getTime() + deps.reserveDays * DAY));
        await deps.mail.queue(tx.outbox, { to: user.email, template: 'account_deleted', locale: user.language ?? ctx.locale, data: { firstName: user.firstName, username: user.username } });
        await tx.users.delete(user.id);
      });
      await deps.sessions.destroyAllForUser(user.id);
    },
  };
}

export type AccountDeletionService = ReturnType<typeof createAccountDeletionService>;
