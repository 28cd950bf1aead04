import type { Clock } from '../../infra/clock';
import { NotFoundError } from '../../infra/errors';
import type { OneTimeTokensRepository } from './one-time-tokens.repository';
import type { UsersRepository } from '../users/users.repository';
import type { Repos } from '../repos';
import type { User } from '../users/user';
import { TOKEN_PATTERN, hashSecretToken, newSecretToken } from './one-time-token';
import type { OneTimeToken, TokenPurpose } from './one-time-tokens.repository';

/** The tables this module reads and writes. */
export type OneTimeLinkTables = { oneTimeTokens: OneTimeTokensRepository; users: UsersRepository };

export type LinkKind = 'password' | 'verification' | 'email_change' | 'lockdown';

/**
 * Links that act on the account as it was when they were mailed: choosing a password,
 * verifying an address, confirming a change of address. All of them end whenever the
 * email address or the password changes. The undo link of an email change and "This
 * wasn't me" links stay: they are how the owner takes the account back.
 */
const ENDED_BY_CREDENTIAL_CHANGE: TokenPurpose[] = ['password_reset', 'password_set', 'email_verify', 'email_change', 'recovery_email_verify'];

/** An emailed link that is unknown, used or expired: its own page, offering a way on. */
export class InvalidLinkError extends NotFoundError {
  constructor(kind: LinkKind = 'password') {
    super('auth.invalidLink.message');
    this.details = { linkKind: kind };
  }
}

/**
 * The links the service mails (reset, verify, confirm a change, undo it): 256-bit
 * tokens, stored only as SHA-256 digests, with a purpose, an owner and an expiry, used once.
 */
export function createOneTimeLinks({ repos, clock }: { repos: Repos<OneTimeLinkTables>; clock: Clock }) {
  return {
    /** Stores a new token in the caller's transaction and returns the secret for the link. */
    async issue(tx: OneTimeLinkTables, link: { purpose: TokenPurpose; userId: string; lifetimeMs: number; payload?: Record<string, unknown> }): Promise<string> {
      const { token, hash } = newSecretToken();
      const now = clock.now();
      await tx.oneTimeTokens.insert({ purpose: link.purpose, userId: link.userId, tokenHash: hash, payload: link.payload ?? {}, expiresAt: new Date(now.getTime() + link.lifetimeMs), now });
      return token;
    },

    /** The usable token behind a link and its owner, or InvalidLinkError. */
    async open(token: string, purposes: TokenPurpose[], kind: LinkKind): Promise<{ token: OneTimeToken; user: User }> {
      if (!TOKEN_PATTERN.test(token)) throw new InvalidLinkError(kind);
      const found = await repos.oneTimeTokens.findUsable(purposes, hashSecretToken(token), clock.now());
      const user = found && (await repos.users.findById(found.userId));
      if (!found || !user) throw new InvalidLinkError(kind);
      return { token: found, user };
    },

    /** In the transaction that changes the account's email address or password: ends the links listed above. */
    async endOnCredentialChange(tx: OneTimeLinkTables, userId: string): Promise<void> {
      await tx.oneTimeTokens.revokeForUser(userId, ENDED_BY_CREDENTIAL_CHANGE, clock.now());
    },

    /** Uses the token up inside the transaction that acts on it; a second use fails. */
    async spend(tx: OneTimeLinkTables, token: OneTimeToken, kind: LinkKind): Promise<void> {
      if (!(await tx.oneTimeTokens.markUsed(token.id, clock.now()))) throw new InvalidLinkError(kind);
    },
  };
}

export type OneTimeLinks = ReturnType<typeof createOneTimeLinks>;
