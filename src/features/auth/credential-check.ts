import type { Limiter } from '../../infra/rate-limit';
import type { Repositories } from '../../repositories';
import type { PasswordHasher } from '../password/password-hasher';
import type { User } from '../users/user';

export interface CredentialLimiters {
  /** Failures from one address against one account: the tight limit, blocks only that pair. */
  accountAndIp: Limiter;
  /** Failures against one account from anywhere: slows distributed guessing. */
  account: Limiter;
  /** Failures from one address against any account: slows spraying. */
  ip: Limiter;
}

/**
 * Every password check (sign-in, re-authentication, the current password on the
 * password tab) goes through here: rate limited by account, by address and by both; an
 * unknown account costs the same as a wrong password (a dummy hash is compared); a hash
 * of an older scheme or cost is upgraded after a success.
 */
export function createCredentialCheck({ repos, hasher, limiters }: { repos: Repositories; hasher: PasswordHasher; limiters: CredentialLimiters }) {
  const keysOf = (user: User | undefined, account: string, ip: string) => {
    const key = user ? `user:${user.id}` : `name:${account.toLowerCase()}`;
    return { key, pair: `${key}|${ip}` };
  };
  const checkLimits = ({ key, pair }: { key: string; pair: string }, ip: string) =>
    Promise.all([limiters.ip.check(ip), limiters.account.check(key), limiters.accountAndIp.check(pair)]);
  const countFailure = ({ key, pair }: { key: string; pair: string }, ip: string) =>
    Promise.all([limiters.ip.penalize(ip), limiters.account.penalize(key), limiters.accountAndIp.penalize(pair)]);

  return {
    /** `account` names what was typed when there is no such user, so unknown names are limited alike. */
    async verify(user: User | undefined, account: string, password: string, ip: string): Promise<boolean> {
      const keys = keysOf(user, account, ip);
      await checkLimits(keys, ip);
      const ok = user?.passwordHash ? await hasher.verify(password, user.passwordHash) : await hasher.verifyDummy(password);
      if (!user || !ok) {
        await countFailure(keys, ip);
        return false;
      }
      await limiters.accountAndIp.reset(keys.pair);
      if (user.passwordHash && hasher.needsRehash(user.passwordHash)) {
        await repos.users.rehashPassword(user.id, await hasher.hash(password));
      }
      return true;
    },

    /** For secrets checked elsewhere (app passwords): the same limits, counted the same way. */
    async recordAttempt(user: User | undefined, account: string, ip: string, ok: boolean): Promise<void> {
      const keys = keysOf(user, account, ip);
      await checkLimits(keys, ip);
      if (!ok) await countFailure(keys, ip);
    },
  };
}

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;
