import type { Clock } from '../../infra/clock';
import { NotFoundError, ValidationError } from '../../http/errors';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { BoundRepositories, Repositories } from '../../repositories';
import type { PasswordHasher } from '../password/password-hasher';
import type { PasswordPolicy } from '../password/password-policy';
import type { User } from '../users/user';
import type { SetPasswordInput } from './auth.schemas';
import { TOKEN_PATTERN } from './auth.schemas';
import { hashSecretToken, newSecretToken } from './one-time-token';
import type { TokenPurpose } from './one-time-tokens.repository';

/** Links that let someone choose a password: a reset, or the first one for an invited account. */
const PASSWORD_PURPOSES: TokenPurpose[] = ['password_reset', 'password_set'];

export class InvalidLinkError extends NotFoundError {
  override view = 'auth/invalid-link';

  constructor() {
    super('auth.setPassword.invalidLink');
  }
}

export interface PasswordResetDeps {
  repos: Repositories;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  sessions: SessionRegistry;
  clock: Clock;
  tokenLifetimeMs: number;
}

export function createPasswordResetService({ repos, hasher, policy, sessions, clock, tokenLifetimeMs }: PasswordResetDeps) {
  async function usableToken(token: string) {
    if (!TOKEN_PATTERN.test(token)) throw new InvalidLinkError();
    const found = await repos.oneTimeTokens.findUsable(PASSWORD_PURPOSES, hashSecretToken(token), clock.now());
    if (!found) throw new InvalidLinkError();
    const user = await repos.users.findById(found.userId);
    if (!user) throw new InvalidLinkError();
    return { found, user };
  }

  return {
    /** A link for an account created by an operator: the person chooses their own password. */
    async issueSetPasswordToken(userId: string, tx: BoundRepositories = repos): Promise<string> {
      const { token, hash } = newSecretToken();
      const now = clock.now();
      await tx.oneTimeTokens.insert({ purpose: 'password_set', userId, tokenHash: hash, payload: {}, expiresAt: new Date(now.getTime() + tokenLifetimeMs), now });
      return token;
    },

    /** Whose link this is, or InvalidLinkError when it is unknown, used or expired. */
    async accountForToken(token: string): Promise<User> {
      return (await usableToken(token)).user;
    },

    /**
     * Sets the new password, spends this and every other outstanding password link of
     * the account, and ends all its sessions. It does not sign anyone in.
     */
    async completeWithToken(token: string, input: SetPasswordInput): Promise<User> {
      const { found, user } = await usableToken(token);
      if (input.password !== input.password_confirm) {
        throw ValidationError.field('password_confirm', 'auth.setPassword.errors.passwordMismatch');
      }
      const problem = policy.check(input.password, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
      if (problem) throw new ValidationError({ password: problem });
      const passwordHash = await hasher.hash(input.password);
      const now = clock.now();
      await repos.transaction(async (tx) => {
        if (!(await tx.oneTimeTokens.markUsed(found.id, now))) throw new InvalidLinkError();
        await tx.users.setPassword(user.id, passwordHash, now);
        await tx.oneTimeTokens.revokeForUser(user.id, PASSWORD_PURPOSES, now);
      });
      await sessions.destroyAllForUser(user.id);
      return user;
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
