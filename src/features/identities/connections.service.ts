import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import { isUuid } from '../../infra/ids';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';
import type { Limiter } from '../../infra/rate-limit';
import { browserAndOs } from '../../infra/user-agent';
import type { Links } from '../../http/links';
import type { RequestContext } from '../../http/request-context';
import { lockWaysIn } from '../../core/account-state/ways-in';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import { hasPassword, recoveryAddressOf, type User } from '../../core/users/user';
import { PasswordInDirectoryError } from '../password/password-changes';
import type { PasswordResetService } from '../auth/password-reset.service';
import type { AuthenticatorsRepository } from '../mfa/authenticators.repository';
import type { UserIdentitiesRepository, UserIdentity } from '../../core/identities/user-identities.repository';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { identities: UserIdentitiesRepository; authenticators: AuthenticatorsRepository; locks: AdvisoryLocksRepository };

/** A connected identity as the profile, the export and the console show it. */
export interface Connection extends UserIdentity {
  providerName: string;
  /** False when its provider was taken out of OIDC_PROVIDERS_FILE: it can no longer sign anyone in. */
  configured: boolean;
}

export interface ConnectionsOverview {
  connections: Connection[];
  /** Configured providers the account has no identity at, for "Connect" buttons. */
  available: Array<{ id: string; name: string }>;
  /** Without this one connection the account would have no way in: no password, passkey or other connection. */
  lastWayIn: boolean;
}

/** Refused: the account would be left without any way to sign in. */
export class LastWayInError extends AppError {
  constructor(provider: string) {
    super(409, 'last_way_in', 'identities.errors.lastWayIn', { provider });
  }
}

/** Refused: the account has a password already; the Password tab changes it. */
export class PasswordAlreadySetError extends AppError {
  constructor() {
    super(409, 'password_already_set', 'identities.errors.passwordAlreadySet');
  }
}

/** The identities named with their providers; one whose provider is gone keeps its id as its name. */
export function connectionsOf(identities: UserIdentity[], providers: ReadonlyArray<Pick<OidcProviderConfig, 'id' | 'name'>>): Connection[] {
  return identities.map((identity) => {
    const provider = providers.find((p) => p.id === identity.provider);
    return { ...identity, providerName: provider?.name ?? identity.provider, configured: provider !== undefined };
  });
}

/**
 * The Connections tab: the identities connected to an account, disconnecting one (never
 * the last way in), and for an account without a password, a mailed link to set one.
 */
export function createConnectionsService(deps: {
  repos: Repos<Tables>;
  clock: Clock;
  notices: SecurityNotices;
  providers: ReadonlyArray<OidcProviderConfig>;
  passwordReset: PasswordResetService;
  mail: MailQueue;
  links: Links;
  tokenLifetimeMs: number;
  setPasswordLimiter: Limiter;
}) {
  const { repos, providers } = deps;

  /** Whether the account keeps a way in besides `identityId`; counted inside the caller's transaction. */
  async function otherWayIn(tx: Tables, user: User, identities: UserIdentity[], identityId: string): Promise<boolean> {
    if (identities.some((i) => i.id !== identityId)) return true;
    const current = await tx.users.findById(user.id);
    if (current && hasPassword(current)) return true;
    return (await tx.authenticators.countPasskeys(user.id)) > 0;
  }

  return {
    async list(user: User): Promise<ConnectionsOverview> {
      const [identities, passkeys] = await Promise.all([repos.identities.listByUser(user.id), repos.authenticators.countPasskeys(user.id)]);
      const connections = connectionsOf(identities, providers);
      const available = providers.filter((p) => !identities.some((i) => i.provider === p.id)).map(({ id, name }) => ({ id, name }));
      return { connections, available, lastWayIn: !hasPassword(user) && passkeys === 0 && identities.length === 1 };
    },

    /** Another person's identity, or an id that cannot be one, is not found. */
    async disconnect(user: User, identityId: string, ctx: RequestContext): Promise<Connection> {
      if (!isUuid(identityId)) throw new NotFoundError('identities.errors.notFound');
      return repos.transaction(async (tx) => {
        await lockWaysIn(tx, user.id);
        const identities = await tx.identities.listByUser(user.id);
        const target = connectionsOf(identities, providers).find((c) => c.id === identityId);
        if (!target) throw new NotFoundError('identities.errors.notFound');
        if (!(await otherWayIn(tx, user, identities, identityId))) throw new LastWayInError(target.providerName);
        await tx.identities.delete(user.id, identityId);
        await deps.notices.record(tx, user, 'identity_disconnected', ctx, { name: target.providerName });
        return target;
      });
    },

    /**
     * For an account made through a provider: a one-time link, to the address a reset link
     * would go to, that chooses its first password on the reset page. Returns that address.
     */
    async sendSetPasswordLink(user: User, ctx: RequestContext): Promise<string> {
      if (user.source === 'ldap') throw new PasswordInDirectoryError();
      if (user.passwordHash) throw new PasswordAlreadySetError();
      await deps.setPasswordLimiter.consume(user.id);
      const to = recoveryAddressOf(user);
      await repos.transaction(async (tx) => {
        const token = await deps.passwordReset.issueSetPasswordToken(user.id, tx);
        await deps.mail.queue(tx.outbox, {
          to,
          template: 'set_password_link',
          locale: user.language ?? ctx.locale,
          data: { firstName: user.firstName, link: deps.links.resetPassword(token), hours: Math.round(deps.tokenLifetimeMs / 3_600_000), ip: ctx.ip, ...browserAndOs(ctx.userAgent) },
          expiringLink: { lifetimeMs: deps.tokenLifetimeMs, renewLink: deps.links.forgotPassword() },
        });
      });
      return to;
    },
  };
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>;
