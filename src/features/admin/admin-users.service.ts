import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { EventContext, NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { NotFoundError, ValidationError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { Role, User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import type { PasswordResetService } from '../auth/password-reset.service';
import type { CreateUserInput } from './admin.schemas';
import { OPERATOR, type AdminAuditRepository, type AuditActor } from './admin-audit.repository';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { adminAudit: AdminAuditRepository };

/** Who acts, and from where: an administrator in the console (and their session), or the operator at the command line. */
export interface AdminAct {
  actor: AuditActor;
  ctx: EventContext & { sessionId?: string };
}

/** The operator commands' act: no account, no address. */
export const OPERATOR_ACT: AdminAct = { actor: OPERATOR, ctx: { ip: '', userAgent: '', locale: 'en' } };

export function createAdminUsersService({ repos, clock, passwordReset, notices, sessions }: { repos: Repos<Tables>; clock: Clock; passwordReset: PasswordResetService; notices: SecurityNotices; sessions: SessionRegistry }) {
  return {
    /**
     * An account made by an operator: it has no password until its owner follows the
     * returned one-time token to choose one (nobody ever handles a generated password).
     */
    async createInvited(input: CreateUserInput): Promise<{ user: User; token: string }> {
      try {
        return await repos.transaction(async (tx) => {
          const user = await tx.users.insert({
            username: input.username,
            email: input.email,
            firstName: input.first_name,
            lastName: input.last_name,
            passwordHash: null,
            language: null,
            theme: null,
            now: clock.now(),
          });
          if (input.admin) await tx.users.setRole(user.id, 'admin', clock.now());
          return { user, token: await passwordReset.issueSetPasswordToken(user.id, tx) };
        });
      } catch (err) {
        if (err instanceof DuplicateUserError) {
          throw ValidationError.field(err.field, err.field === 'username' ? 'auth.signUp.errors.usernameTaken' : 'auth.signUp.errors.emailTaken');
        }
        throw err;
      }
    },

    /**
     * A locked account cannot sign in, and its tokens and app passwords are refused at once
     * (the API checks the lock on every call); its sessions end now. The owner is told by
     * mail. Idempotent: locking a locked account changes and records nothing.
     */
    async setLocked(username: string, locked: boolean, by: AdminAct = OPERATOR_ACT): Promise<{ user: User; changed: boolean }> {
      const user = await repos.users.findByUsername(username);
      if (!user) throw new NotFoundError('admin.errors.noSuchUser');
      const now = clock.now();
      const changed = await repos.transaction(async (tx) => {
        if (!(await tx.users.setLocked(user.id, locked, now))) return false;
        await notices.record(tx, user, locked ? 'profile_locked' : 'profile_unlocked', by.ctx);
        await tx.adminAudit.record({ actor: by.actor, target: user, action: locked ? 'user_locked' : 'user_unlocked', ip: by.ctx.ip, userAgent: by.ctx.userAgent, now });
        return true;
      });
      if (changed && locked) await sessions.destroyAllForUser(user.id, undefined, 'administrator');
      return { user: changed ? { ...user, lockedAt: locked ? now : null } : user, changed };
    },

    /** Operator command; idempotent like setLocked. */
    async setRole(username: string, role: Role): Promise<{ user: User; changed: boolean }> {
      const user = await repos.users.findByUsername(username);
      if (!user) throw new NotFoundError('admin.errors.noSuchUser');
      const changed = await repos.users.setRole(user.id, role, clock.now());
      return { user: { ...user, role }, changed };
    },
  };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
