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
  return {
    /** `account` names what was typed when there is no such user, so unknown names are limited alike. */
    async verify(user: User | undefined, account: string, password: string, ip: string): Promise<boolean> {
      const key = user ? `user:${user.id}` : `name:${account.toLowerCase()}`;
      const pair = `${key}|${ip}`;
      await Promise.all([limiters.ip.check(ip), limiters.account.check(key), limiters.accountAndIp.check(pair)]);
      const ok = user?.passwordHash ? await hasher.verify(password, user.passwordHash) : await hasher.verifyDummy(password);
      if (!user || !ok) {
        await Promise.all([limiters.ip.penalize(ip), limiters.account.penalize(key), limiters.accountAndIp.penalize(pair)]);
        return false;
      }
      await limiters.accountAndIp.reset(pair);
      if (user.passwordHash && hasher.needsRehash(user.passwordHash)) {
        await repos.users.rehashPassword(user.id, await hasher.hash(password));
      }
      return true;
    },
  };
}

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;
