import type { Clock } from '../../infra/clock';
import { AppError, ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { Limiter } from '../../infra/rate-limit';
import type { Repositories } from '../../repositories';
import type { PasswordHasher } from '../password/password-hasher';
import type { User } from '../users/user';
import type { SignInInput } from './auth.schemas';

export interface SignInLimiters {
  /** Failures from one address against one account: the tight limit, blocks only that pair. */
  accountAndIp: Limiter;
  /** Failures against one account from anywhere: slows distributed guessing. */
  account: Limiter;
  /** Failures from one address against any account: slows spraying. */
  ip: Limiter;
}

export interface SignInDeps {
  repos: Repositories;
  hasher: PasswordHasher;
  clock: Clock;
  limiters: SignInLimiters;
}

export class AccountLockedError extends AppError {
  constructor() {
    super(403, 'account_locked', 'auth.signIn.errors.locked');
  }
}

const invalid = () => new ValidationError({ _form: { key: 'auth.signIn.errors.invalid' } });

export function createSignInService({ repos, hasher, limiters }: SignInDeps) {
  return {
    /**
     * Checks a username-or-email and password. Unknown accounts and wrong passwords fail
     * alike and take the same time (a dummy hash is compared); every failure counts
     * against the address, the account, and the pair.
     */
    async verifyPassword(input: SignInInput, ctx: RequestContext): Promise<User> {
      const account = input.identifier.toLowerCase();
      const pair = `${account}|${ctx.ip}`;
      await Promise.all([limiters.ip.check(ctx.ip), limiters.account.check(account), limiters.accountAndIp.check(pair)]);
      const user = await repos.users.findByIdentifier(input.identifier);
      const ok = user?.passwordHash ? await hasher.verify(input.password, user.passwordHash) : await hasher.verifyDummy(input.password);
      if (!user || !ok) {
        await Promise.all([limiters.ip.penalize(ctx.ip), limiters.account.penalize(account), limiters.accountAndIp.penalize(pair)]);
        throw invalid();
      }
      await limiters.accountAndIp.reset(pair);
      if (user.lockedAt) throw new AccountLockedError();
      if (hasher.needsRehash(user.passwordHash as string)) {
        await repos.users.rehashPassword(user.id, await hasher.hash(input.password));
      }
      return user;
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
