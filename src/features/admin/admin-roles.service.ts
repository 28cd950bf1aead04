import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { Role, User } from '../../core/users/user';
import type { UsersRepository } from '../../core/users/users.repository';
import type { AdminAuditRepository } from './admin-audit.repository';
import type { ActorContext } from './actor-context';
import { keepOneAdministrator } from '../../core/users/administrators';

/** The tables this module reads and writes. */
export type AdministratorTables = NoticeTables & { users: UsersRepository; locks: AdvisoryLocksRepository; adminAudit: AdminAuditRepository };

/**
 * Promoting and demoting. Never the last administrator: the check and the change happen
 * under one lock in one transaction, with the audit row, the person's activity entry and
 * their notice. Their sessions then end (the actor's own current one excepted), so a
 * role is always used from a session signed in under it.
 */
/** Refused: LDAP_ADMIN_GROUP_DN decides this person's role (their next sign-in or sync would undo the change). */
export class RoleFromDirectoryError extends AppError {
  constructor() {
    super(409, 'role_from_directory', 'directory.errors.roleManaged');
  }
}

/** `roleFromDirectory`: whether the directory's administrators' group decides this account's role. */
export function createAdminRolesService(deps: { repos: Repos<AdministratorTables>; clock: Clock; notices: SecurityNotices; sessions: SessionRegistry; roleFromDirectory: (user: User) => boolean }) {
  return {
    /** Idempotent: a person who already has the role is left as they are, and nothing is recorded. */
    async changeRole(username: string, role: Role, ctx: ActorContext): Promise<{ user: User; changed: boolean }> {
      const found = await deps.repos.users.findByUsername(username);
      if (!found) throw new NotFoundError('admin.errors.noSuchUser');
      if (found.role !== role && deps.roleFromDirectory(found)) throw new RoleFromDirectoryError();
      const now = deps.clock.now();
      const changed = await deps.repos.transaction(async (tx) => {
        if (role === 'user') await keepOneAdministrator(tx, found, ctx.actor.id === found.id ? 'admin.roles.errors.lastAdministratorSelf' : 'admin.roles.errors.lastAdministrator');
        if (!(await tx.users.setRole(found.id, role, now))) return false;
        await deps.notices.record(tx, found, role === 'admin' ? 'role_granted' : 'role_revoked', ctx);
        const target = { id: found.id, username: found.username };
        await tx.adminAudit.record({ actor: ctx.actor, target, action: 'role_changed', ip: ctx.ip, userAgent: ctx.userAgent, data: { from: role === 'admin' ? 'user' : 'admin', to: role }, now });
        return true;
      });
      if (changed) await deps.sessions.destroyAllForUser(found.id, ctx.actor.id === found.id ? ctx.sessionId : undefined, 'administrator');
      return { user: { ...found, role }, changed };
    },
  };
}

export type AdminRolesService = ReturnType<typeof createAdminRolesService>;
