import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { NotFoundError, ValidationError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { Role, User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import type { PasswordResetService } from '../auth/password-reset.service';
import type { CreateUserInput } from './admin.schemas';

/** The tables this module reads and writes. */
type Tables = NoticeTables;

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
     * Operator command: a locked account cannot sign in or use the API; its sessions end
     * now. Idempotent: locking a locked account changes and records nothing.
     */
    async setLocked(username: string, locked: boolean): Promise<{ user: User; changed: boolean }> {
      const user = await repos.users.findByUsername(username);
      if (!user) throw new NotFoundError('admin.errors.noSuchUser');
      const now = clock.now();
      const changed = await repos.transaction(async (tx) => {
        if (!(await tx.users.setLocked(user.id, locked, now))) return false;
        await notices.record(tx, user, locked ? 'profile_locked' : 'profile_unlocked', { ip: '', userAgent: '', locale: user.language ?? 'en' });
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
