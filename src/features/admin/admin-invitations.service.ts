import type { Clock } from '../../infra/clock';
import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import { identityErrors } from '../../core/account-state/identity-availability';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import type { PasswordResetService } from '../auth/password-reset.service';
import { OPERATOR_CONTEXT, type ActorContext } from './actor-context';
import type { AdministratorTables } from './admin-roles.service';
import type { CreateUserInput } from './admin.schemas';

/** The tables this module reads and writes. */
type Tables = AdministratorTables & { deletedIdentities: DeletedIdentitiesRepository };

/**
 * Accounts made for someone, by an administrator in the console or an operator at the
 * command line: no password until its owner follows the invitation's one-time link to
 * choose one (nobody ever handles a generated password).
 */
export function createAdminInvitationsService(deps: { repos: Repos<Tables>; clock: Clock; passwordReset: PasswordResetService; mail: MailQueue; links: Links; tokenLifetimeMs: number }) {
  const { repos, clock } = deps;

  /** What the database says about the valid fields: names and addresses that are taken or still reserved. */
  async function check(input: Partial<CreateUserInput>): Promise<FieldErrors> {
    return identityErrors(repos, input, clock.now());
  }

  return {
    check,

    /**
     * Creates the account, mails its owner the link (in the same transaction, through the
     * outbox) and records who made it. Returns the link's token for the operator command,
     * which prints it; the console and the API never show it.
     */
    async createInvited(input: CreateUserInput, ctx: ActorContext = OPERATOR_CONTEXT): Promise<{ user: User; token: string }> {
      ValidationError.throwIfAny(await check(input));
      const now = clock.now();
      try {
        return await repos.transaction(async (tx) => {
          const inserted = await tx.users.insert({ username: input.username, email: input.email, firstName: input.first_name, lastName: input.last_name, passwordHash: null, language: null, theme: null, now });
          const user: User = input.admin && (await tx.users.setRole(inserted.id, 'admin', now)) ? { ...inserted, role: 'admin' } : inserted;
          const token = await deps.passwordReset.issueSetPasswordToken(user.id, tx);
          await deps.mail.queue(tx.outbox, {
            to: user.email,
            template: 'account_invitation',
            locale: ctx.locale,
            data: { firstName: user.firstName, username: user.username, link: deps.links.resetPassword(token), hours: Math.round(deps.tokenLifetimeMs / 3_600_000) },
            expiringLink: { lifetimeMs: deps.tokenLifetimeMs, renewLink: deps.links.forgotPassword() },
          });
          const target = { id: user.id, username: user.username };
          await tx.adminAudit.record({ actor: ctx.actor, target, action: 'user_created', ip: ctx.ip, userAgent: ctx.userAgent, data: { role: user.role, email: user.email }, now });
          return { user, token };
        });
      } catch (err) {
        if (err instanceof DuplicateUserError) {
          throw ValidationError.field(err.field, err.field === 'username' ? 'auth.signUp.errors.usernameTaken' : 'auth.signUp.errors.emailTaken');
        }
        throw err;
      }
    },
  };
}

export type AdminInvitationsService = ReturnType<typeof createAdminInvitationsService>;
