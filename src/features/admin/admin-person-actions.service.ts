import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { sessionHandle } from '../../infra/session-store/session-data';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityEventType, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import type { AuthenticatorsRepository } from '../mfa/authenticators.repository';
import type { CredentialsRepository } from '../credentials/credentials.repository';
import type { PasswordResetService } from '../auth/password-reset.service';
import type { EmailVerificationService } from '../auth/email-verification.service';
import type { AdminAuditRepository } from './admin-audit.repository';
import type { AdminPersonService } from './admin-person.service';
import type { AdminUsersService } from './admin-users.service';
import type { ActorContext } from './actor-context';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { adminAudit: AdminAuditRepository; authenticators: AuthenticatorsRepository; credentials: CredentialsRepository };

/** An action that would shut the administrator out of their own account (lock, reset two-step). */
export class NotOnYourselfError extends AppError {
  constructor() {
    super(409, 'not_on_yourself', 'admin.person.errors.notOnYourself');
  }
}

/** Asked of an address that is verified already. */
export class AlreadyVerifiedError extends AppError {
  constructor() {
    super(409, 'already_verified', 'admin.person.errors.alreadyVerified');
  }
}

export type CredentialKind = 'token' | 'app_password' | 'ssh_key';

/**
 * The ways an administrator helps one person. Each writes its change, the person's
 * activity entry (with its notice mail where the kind has one) and ONE audit row in one
 * transaction; sessions live outside the database and end after it commits.
 */
export function createAdminPersonActions(deps: {
  repos: Repos<Tables>;
  clock: Clock;
  notices: SecurityNotices;
  registry: SessionRegistry;
  person: AdminPersonService;
  adminUsers: AdminUsersService;
  passwordReset: PasswordResetService;
  emailVerification: EmailVerificationService;
}) {
  const { repos, clock, notices } = deps;

  /** The change, the person's activity entry and the audit row, committed together. */
  async function audited(act: ActorContext, user: User, action: string, event: SecurityEventType, data: Record<string, string>, change: (tx: Tables) => Promise<void>): Promise<void> {
    await repos.transaction(async (tx) => {
      await change(tx);
      await notices.record(tx, user, event, act, data);
      await tx.adminAudit.record({ actor: act.actor, target: { id: user.id, username: user.username }, action, ip: act.ip, userAgent: act.userAgent, data, now: clock.now() });
    });
  }

  const notSelf = (act: ActorContext, user: User) => {
    if (user.id === act.actor.id) throw new NotOnYourselfError();
  };

  return {
    /** Lock: no sign-in, sessions end, tokens and app passwords refused. Not one's own account. */
    async setLocked(act: ActorContext, username: string, locked: boolean): Promise<boolean> {
      const user = await deps.person.find(username);
      if (locked) notSelf(act, user);
      return (await deps.adminUsers.setLocked(user.username, locked, act)).changed;
    },

    /**
     * The lost phone: the authenticator app, recovery codes and passkeys go, two-step is off,
     * every session ends; the person is told and signs in with their password. False when
     * there was nothing to remove (then nothing is recorded).
     */
    async resetTwoStep(act: ActorContext, username: string): Promise<boolean> {
      const user = await deps.person.find(username);
      notSelf(act, user);
      let removed = 0;
      await repos.transaction(async (tx) => {
        removed = await tx.authenticators.deleteTypes(user.id, ['totp', 'recovery_codes', 'passkey']);
        if (removed === 0 && !user.mfaEnabled) return;
        await tx.users.setMfaEnabled(user.id, false, clock.now());
        await notices.record(tx, user, 'mfa_reset', act);
        await tx.adminAudit.record({ actor: act.actor, target: { id: user.id, username: user.username }, action: 'two_step_reset', ip: act.ip, userAgent: act.userAgent, data: { removed }, now: clock.now() });
      });
      if (removed === 0 && !user.mfaEnabled) return false;
      await deps.registry.destroyAllForUser(user.id, undefined, 'administrator');
      return true;
    },

    /** Mails the person a reset link (to their recovery address when verified); the administrator never sees it. */
    async sendPasswordReset(act: ActorContext, username: string): Promise<void> {
      const user = await deps.person.find(username);
      await audited(act, user, 'password_reset_sent', 'password_reset_sent_by_admin', {}, async (tx) => {
        await deps.passwordReset.mailResetLink(tx, user, act);
      });
    },

    async resendVerification(act: ActorContext, username: string): Promise<void> {
      const user = await deps.person.find(username);
      if (user.emailVerifiedAt) throw new AlreadyVerifiedError();
      await audited(act, user, 'verification_sent', 'verification_sent_by_admin', { email: user.email }, (tx) => deps.emailVerification.queueFor(tx, user));
    },

    /** The administrator vouches for the address; links still out there stop working. */
    async markVerified(act: ActorContext, username: string): Promise<void> {
      const user = await deps.person.find(username);
      if (user.emailVerifiedAt) throw new AlreadyVerifiedError();
      await audited(act, user, 'email_marked_verified', 'email_verified_by_admin', { email: user.email }, async (tx) => {
        if (!(await tx.users.markEmailVerified(user.id, user.email, clock.now()))) throw new AlreadyVerifiedError();
        await tx.oneTimeTokens.revokeForUser(user.id, ['email_verify'], clock.now());
      });
    },

    /** Every session of the person ends (on their own page, every one but the administrator's). Returns how many. */
    async endSessions(act: ActorContext, username: string): Promise<number> {
      const user = await deps.person.find(username);
      const count = await deps.registry.destroyAllForUser(user.id, act.sessionId, 'administrator');
      if (count === 0) return 0;
      await audited(act, user, 'sessions_ended', 'sessions_ended_by_admin', { count: String(count) }, async () => undefined);
      return count;
    },

    /** One session, by its public handle; a handle of someone else's session is a 404. */
    async endSession(act: ActorContext, username: string, handle: string): Promise<void> {
      const user = await deps.person.find(username);
      if (act.sessionId && handle === sessionHandle(act.sessionId)) throw new NotOnYourselfError();
      if (!/^[0-9a-f]{64}$/.test(handle) || !(await deps.registry.destroyByHandle(user.id, handle, 'administrator'))) throw new NotFoundError('sessions.errors.notFound');
      await audited(act, user, 'session_ended', 'sessions_ended_by_admin', { count: '1' }, async () => undefined);
    },

    /** Revokes one token, app password or SSH key of the person; an id that is not theirs is a 404. */
    async revokeCredential(act: ActorContext, username: string, kind: CredentialKind, id: string): Promise<void> {
      const user = await deps.person.find(username);
      const name = await findCredentialName(user, kind, id);
      if (name === undefined) throw new NotFoundError('admin.person.errors.noSuchCredential');
      await audited(act, user, `${kind}_revoked`, 'credential_revoked_by_admin', { name, kind }, async (tx) => {
        const gone = kind === 'token' ? await tx.credentials.deleteToken(user.id, id) : kind === 'app_password' ? await tx.credentials.deleteAppPassword(user.id, id) : await tx.credentials.deleteSshKey(user.id, id);
        if (!gone) throw new NotFoundError('admin.person.errors.noSuchCredential');
      });
    },
  };

  async function findCredentialName(user: User, kind: CredentialKind, id: string): Promise<string | undefined> {
    if (kind === 'token') return (await repos.credentials.findToken(user.id, id))?.name;
    if (kind === 'ssh_key') return (await repos.credentials.findSshKey(user.id, id))?.title;
    return (await repos.credentials.listAppPasswords(user.id)).find((a) => a.id === id)?.name;
  }
}

export type AdminPersonActions = ReturnType<typeof createAdminPersonActions>;
