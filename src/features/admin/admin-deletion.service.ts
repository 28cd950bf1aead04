import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import { createAccountDeletionService } from '../account/account-deletion.service';
import type { ActorContext } from './actor-context';
import type { AdministratorTables } from './admin-roles.service';
import { keepOneAdministrator } from '../../core/users/administrators';

/** The tables this module reads and writes. */
type Tables = AdministratorTables & { deletedIdentities: DeletedIdentitiesRepository };

/**
 * An administrator deletes someone's account: the owner's own deletion (the same function,
 * so the same cleanup, reservation and end of sessions), with a farewell that says an
 * administrator did it and an audit row in its transaction. Never the administrator's own
 * account (that is the profile's Delete tab) and never the last administrator.
 */
export function createAdminDeletionService(deps: { repos: Repos<Tables>; sessions: SessionRegistry; mail: MailQueue; clock: Clock; reserveDays: number }) {
  const accountDeletion = createAccountDeletionService<Tables>(deps);
  return {
    async deleteAccount(username: string, ctx: ActorContext): Promise<User> {
      const found = await deps.repos.users.findByUsername(username);
      if (!found) throw new NotFoundError('admin.errors.noSuchUser');
      if (ctx.actor.id === found.id) throw new AppError(409, 'own_account', 'admin.delete.errors.self');
      await accountDeletion.delete(found, ctx, {
        byAdministrator: true,
        within: async (tx) => {
          await keepOneAdministrator(tx, found, 'admin.delete.errors.lastAdministrator');
          // The name stays beside the id, so the entry still says whom it concerned; the address goes with the account.
          const target = { id: found.id, username: found.username };
          await tx.adminAudit.record({ actor: ctx.actor, target, action: 'user_deleted', ip: ctx.ip, userAgent: ctx.userAgent, data: { role: found.role }, now: deps.clock.now() });
        },
      });
      return found;
    },
  };
}

export type AdminDeletionService = ReturnType<typeof createAdminDeletionService>;
