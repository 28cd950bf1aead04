import type { Repos } from '../../core/repos';
import type { SecurityEvent, SecurityEventsRepository } from '../../core/security/security-events.repository';
import type { UsersRepository } from '../../core/users/users.repository';
import type { User } from '../../core/users/user';
import { NotFoundError } from '../../infra/errors';
import type { AuthenticatorsRepository } from '../mfa/authenticators.repository';
import type { CredentialsRepository, Scope } from '../credentials/credentials.repository';
import { TOKEN_PREFIX } from '../credentials/secret-formats';
import type { SessionsService, SessionView } from '../sessions/sessions.service';
import { connectionsOf, type Connection } from '../identities/connections.service';
import type { UserIdentitiesRepository } from '../../core/identities/user-identities.repository';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';

/** The tables this module reads. */
type Tables = { users: UsersRepository; authenticators: AuthenticatorsRepository; credentials: CredentialsRepository; events: SecurityEventsRepository; identities: UserIdentitiesRepository };

/** How many of a person's security events their page shows, newest first. */
export const PERSON_ACTIVITY_SHOWN = 20;

/** Longer than any username can be: such a name is looked up nowhere. */
const USERNAME_MAX = 64;

/** What an administrator may see of an account: every field but the password hash. */
export interface PersonSummary {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  emailVerifiedAt: Date | null;
  recoveryEmail: string | null;
  recoveryEmailVerifiedAt: Date | null;
  role: User['role'];
  source: User['source'];
  lockedAt: Date | null;
  hasPassword: boolean;
  passwordResetRequired: boolean;
  language: User['language'];
  createdAt: Date;
  updatedAt: Date;
}

/** Which second factors an account has; never a secret, a seed or a code. */
export interface TwoStepState {
  enabled: boolean;
  authenticatorApp: { since: Date } | null;
  passkeys: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }>;
  /** Unused recovery codes, or null when the account has none generated. */
  recoveryCodesLeft: number | null;
}

export interface PersonCredentials {
  tokens: Array<{ id: string; name: string; scope: Scope; masked: string; createdAt: Date; lastUsedAt: Date | null; lastUsedIp: string | null; expiresAt: Date }>;
  appPasswords: Array<{ id: string; name: string; scope: Scope; createdAt: Date; lastUsedAt: Date | null; lastUsedIp: string | null }>;
  sshKeys: Array<{ id: string; title: string; keyType: string; bits: number; fingerprint: string; createdAt: Date }>;
}

export interface PersonView {
  person: PersonSummary;
  twoStep: TwoStepState;
  sessions: SessionView[];
  credentials: PersonCredentials;
  /** Identities at other providers the person signs in with: what the provider said, never a token. */
  identities: Array<Pick<Connection, 'id' | 'provider' | 'providerName' | 'email' | 'displayName' | 'createdAt' | 'lastUsedAt'>>;
  activity: SecurityEvent[];
}

const summaryOf = (u: User): PersonSummary => ({
  id: u.id,
  username: u.username,
  firstName: u.firstName,
  lastName: u.lastName,
  email: u.email,
  emailVerifiedAt: u.emailVerifiedAt,
  recoveryEmail: u.recoveryEmail,
  recoveryEmailVerifiedAt: u.recoveryEmailVerifiedAt,
  role: u.role,
  source: u.source,
  lockedAt: u.lockedAt,
  hasPassword: u.passwordHash !== null,
  passwordResetRequired: u.passwordResetRequired,
  language: u.language,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/**
 * One account as an administrator sees it, to help its owner. Every list is built from
 * named fields, so a column added to a table later does not reach the console by itself.
 */
export function createAdminPersonService(deps: { repos: Repos<Tables>; sessions: SessionsService; providers: ReadonlyArray<Pick<OidcProviderConfig, 'id' | 'name'>> }) {
  const { repos } = deps;

  /** The account named in the URL; an unknown (or impossible) name is a 404. */
  async function find(username: string): Promise<User> {
    const user = username.length <= USERNAME_MAX ? await repos.users.findByUsername(username) : undefined;
    if (!user) throw new NotFoundError('admin.errors.noSuchUser');
    return user;
  }

  async function twoStepOf(user: User): Promise<TwoStepState> {
    const [totp, codes, passkeys] = await Promise.all([repos.authenticators.findTotp(user.id), repos.authenticators.findRecoveryCodes(user.id), repos.authenticators.listPasskeys(user.id)]);
    return {
      enabled: user.mfaEnabled,
      authenticatorApp: totp ? { since: totp.createdAt } : null,
      passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
      recoveryCodesLeft: codes ? codes.codes.filter((c) => !c.usedAt).length : null,
    };
  }

  async function credentialsOf(user: User): Promise<PersonCredentials> {
    const [tokens, appPasswords, sshKeys] = await Promise.all([repos.credentials.listTokens(user.id), repos.credentials.listAppPasswords(user.id), repos.credentials.listSshKeys(user.id)]);
    return {
      tokens: tokens.map((t) => ({ id: t.id, name: t.name, scope: t.scope, masked: `${TOKEN_PREFIX}…${t.lastFour}`, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, lastUsedIp: t.lastUsedIp, expiresAt: t.expiresAt })),
      appPasswords: appPasswords.map((a) => ({ id: a.id, name: a.name, scope: a.scope, createdAt: a.createdAt, lastUsedAt: a.lastUsedAt, lastUsedIp: a.lastUsedIp })),
      sshKeys: sshKeys.map((k) => ({ id: k.id, title: k.title, keyType: k.keyType, bits: k.bits, fingerprint: k.fingerprint, createdAt: k.createdAt })),
    };
  }

  return {
    find,

    /** Everything the person page shows; `viewerSid` marks the administrator's own session on their own page. */
    async view(username: string, viewerSid?: string): Promise<PersonView> {
      const user = await find(username);
      const [twoStep, sessions, credentials, identities, activity] = await Promise.all([
        twoStepOf(user),
        deps.sessions.list(user.id, viewerSid),
        credentialsOf(user),
        repos.identities.listByUser(user.id),
        repos.events.page(user.id, { limit: PERSON_ACTIVITY_SHOWN }),
      ]);
      const connections = connectionsOf(identities, deps.providers).map((c) => ({ id: c.id, provider: c.provider, providerName: c.providerName, email: c.email, displayName: c.displayName, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt }));
      return { person: summaryOf(user), twoStep, sessions, credentials, identities: connections, activity };
    },
  };
}

export type AdminPersonService = ReturnType<typeof createAdminPersonService>;
