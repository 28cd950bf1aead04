import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { NotFoundError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import type { AdminAuditRepository } from './admin-audit.repository';
import type { OidcPayloadsRepository } from '../provider/oidc-payloads.repository';
import { OPERATOR_CONTEXT, type ActorContext } from './actor-context';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { adminAudit: AdminAuditRepository; oidcPayloads: OidcPayloadsRepository };

export function createAdminUsersService({ repos, clock, notices, sessions }: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; sessions: SessionRegistry }) {
  return {
    /**
     * A locked account cannot sign in, and its tokens and app passwords are refused at once
     * (the API checks the lock on every call); its sessions end now, and so do the grants
     * and tokens of the applications it signed in to here (OpenID Provider). The owner is told by
     * mail. Idempotent: locking a locked account changes and records nothing.
     */
    async setLocked(username: string, locked: boolean, by: ActorContext = OPERATOR_CONTEXT): Promise<{ user: User; changed: boolean }> {
      const user = await repos.users.findByUsername(username);
      if (!user) throw new NotFoundError('admin.errors.noSuchUser');
      const now = clock.now();
      const changed = await repos.transaction(async (tx) => {
        if (!(await tx.users.setLocked(user.id, locked, now))) return false;
        if (locked) await tx.oidcPayloads.revokeAccount(user.id);
        await notices.record(tx, user, locked ? 'profile_locked' : 'profile_unlocked', by);
        await tx.adminAudit.record({ actor: by.actor, target: user, action: locked ? 'user_locked' : 'user_unlocked', ip: by.ip, userAgent: by.userAgent, now });
        return true;
      });
      if (changed && locked) await sessions.destroyAllForUser(user.id, undefined, 'administrator');
      return { user: changed ? { ...user, lockedAt: locked ? now : null } : user, changed };
    },

  };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
