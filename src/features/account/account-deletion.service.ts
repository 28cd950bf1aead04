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

/** How a deletion came about, when it was not the owner's own. */
export interface DeletionOptions<T> {
  /** Deleted by an administrator: the farewell says so. */
  byAdministrator?: boolean;
  /** The caller's own part of the same transaction (its checks and records), before the account goes. */
  within?: (tx: T) => Promise<void>;
}

/**
 * Deleting an account, as promised: the user and everything that belongs to them go in one
 * transaction (the foreign keys cascade), a farewell goes to the old address through the
 * outbox in that same transaction, every session ends, and the username and address stay
 * reserved for DELETED_RESERVE_DAYS. There is no undo. The owner and an administrator
 * delete through this one function, so both deletions leave the same nothing behind.
 */
export function createAccountDeletionService<T extends Tables = Tables>(deps: { repos: Repos<T>; sessions: SessionRegistry; mail: MailQueue; clock: Clock; reserveDays: number }) {
  return {
    async delete(user: User, ctx: RequestContext, options: DeletionOptions<T> = {}): Promise<void> {
      const now = deps.clock.now();
      await deps.repos.transaction(async (tx) => {
        await options.within?.(tx);
        await tx.deletedIdentities.reserve({ username: user.username, email: user.email }, new Date(now.getTime() + deps.reserveDays * DAY));
        const data = { firstName: user.firstName, username: user.username, ...(options.byAdministrator ? { byAdministrator: true } : {}) };
        await deps.mail.queue(tx.outbox, { to: user.email, template: 'account_deleted', locale: user.language ?? ctx.locale, data });
        await tx.users.delete(user.id);
      });
      await deps.sessions.destroyAllForUser(user.id);
    },
  };
}

export type AccountDeletionService<T extends Tables = Tables> = ReturnType<typeof createAccountDeletionService<T>>;
