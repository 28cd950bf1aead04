import type { RequestContext } from '../../http/request-context';
import { addressKey, type Limiter } from '../../infra/rate-limit';
import type { KnownDevicesRepository } from '../../core/security/known-devices.repository';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { PasswordHasher } from './password-hasher';
import type { User } from '../../core/users/user';

/** The tables this module reads and writes. */
type Tables = { knownDevices: KnownDevicesRepository; users: UsersRepository };

export interface CredentialLimiters {
  /** Failures from one address against one account name: the tight limit, blocks only that pair. */
  accountAndIp: Limiter;
  /** Failures from one trusted device against one account name: the tight limit for the owner's own browsers. */
  accountAndDevice: Limiter;
  /** Failures against one account name from anywhere but its trusted devices: slows distributed guessing. */
  account: Limiter;
  /** Failures from one address against any account: slows spraying. */
  ip: Limiter;
}

type Counter = [Limiter, string];

/** The device lookup an unknown name costs, so that known and unknown names run the same queries. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * Every password check (sign-in, re-authentication, the current password on the
 * password tab) and every app password goes through here: rate limited by address, by
 * account name and by both; an unknown account costs the same as a wrong password (a
 * dummy hash is compared); a hash of an older scheme or cost is upgraded after a success.
 *
 * The counters never lock the owner out: a browser that completed a sign-in (by any
 * method, a passkey included) or a password reset for the account since its password
 * last changed is a trusted device, whose attempts count against that device alone and
 * never against the account-wide limit strangers can fill.
 */
export function createCredentialCheck({ repos, hasher, limiters }: { repos: Repos<Tables>; hasher: PasswordHasher; limiters: CredentialLimiters }) {
  const since = (user: User | undefined) => user?.passwordChangedAt ?? new Date(0);

  async function trusted(user: User | undefined, device: string | undefined): Promise<boolean> {
    if (!device) return false;
    return (await repos.knownDevices.seenSince(user?.id ?? NO_ACCOUNT, device, since(user))) && user !== undefined;
  }

  /**
   * The counters an attempt touches, and its own narrow one (cleared by a success). An
   * account is named by what was typed, never by its id, so that a limit reached on a
   * username says nothing about which address belongs to it; a known account's names
   * carry the time its password last changed, so a password change (a completed reset)
   * starts all of them afresh.
   */
  async function countersOf(user: User | undefined, identifier: string, ctx: RequestContext): Promise<{ all: Counter[]; own: Counter }> {
    const name = `${identifier.trim().toLowerCase()}${user ? `@${since(user).getTime()}` : ''}`;
    const ip: Counter = [limiters.ip, ctx.ip];
    if (await trusted(user, ctx.device)) {
      const own: Counter = [limiters.accountAndDevice, `${name}|${ctx.device}`];
      return { all: [ip, own], own };
    }
    const own: Counter = [limiters.accountAndIp, `${name}|${addressKey(ctx.ip)}`];
    return { all: [ip, [limiters.account, name], own], own };
  }

  const check = (counters: Counter[]) => Promise.all(counters.map(([limiter, key]) => limiter.check(key)));
  const refund = (counters: Counter[]) => Promise.allSettled(counters.map(([limiter, key]) => limiter.refund(key)));

  /**
   * Counts the attempt as a failure (before the password is compared, when there is one
   * to compare) in one step of the shared store: guesses arriving at the same moment, at
   * one process or several, cannot all pass a check made before any of them was counted.
   * An attempt one counter refuses is given back to the others, so a refused attempt
   * counts on none of them.
   */
  async function reserve(counters: Counter[]): Promise<void> {
    const counted = await Promise.allSettled(counters.map(([limiter, key]) => limiter.consume(key)));
    const refused = counted.find((result) => result.status === 'rejected');
    if (!refused) return;
    await refund(counters.filter((_, i) => counted[i]?.status === 'fulfilled'));
    throw refused.reason;
  }

  return {
    /** `identifier` is what was typed (username or email address), so unknown names are limited alike. */
    async verify(user: User | undefined, identifier: string, password: string, ctx: RequestContext): Promise<boolean> {
      const counters = await countersOf(user, identifier, ctx);
      await reserve(counters.all);
      const ok = user?.passwordHash ? await hasher.verify(password, user.passwordHash) : await hasher.verifyDummy(password);
      if (!user || !ok) return false;
      await counters.own[0].reset(counters.own[1]);
      await refund(counters.all.filter((counter) => counter !== counters.own));
      if (user.passwordHash && hasher.needsRehash(user.passwordHash)) {
        await repos.users.rehashPassword(user.id, await hasher.hash(password));
      }
      return true;
    },

    /**
     * For app passwords, checked by the caller: a wrong one is counted like a wrong
     * password. A right one (118 random bits, so no guess) proves its holder like a
     * trusted device: the account-wide limit strangers can fill does not stop the owner's
     * scripts, while the limits on its address still do.
     */
    async recordAttempt(user: User | undefined, identifier: string, ctx: RequestContext, ok: boolean): Promise<void> {
      const counters = await countersOf(user, identifier, ctx);
      if (ok) await check(counters.all.filter(([limiter]) => limiter !== limiters.account));
      else await reserve(counters.all);
    },
  };
}

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;
