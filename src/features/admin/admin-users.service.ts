import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { NotFoundError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import type { PasswordResetService } from '../auth/password-reset.service';

/** The tables this module reads and writes. */
type Tables = NoticeTables;

export function createAdminUsersService({ repos, clock, notices, sessions }: { repos: Repos<Tables>; clock: Clock; passwordReset: PasswordResetService; notices: SecurityNotices; sessions: SessionRegistry }) {
  return {
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
  };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
