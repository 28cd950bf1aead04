import type { Clock } from '../../infra/clock';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { EventContext, NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { NotFoundError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
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

export function createAdminUsersService({ repos, clock, notices, sessions }: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; sessions: SessionRegistry }) {
  return {
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

  };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
