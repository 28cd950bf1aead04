import type { RequestContext } from '../../http/request-context';
import { addressKey, type Limiter } from '../../infra/rate-limit';
import type { KnownDevicesRepository } from '../../core/security/known-devices.repository';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { PasswordHasher } from './password-hasher';
import { hasPassword, type User } from '../../core/users/user';
import type { DirectoryService } from '../directory/directory.service';

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
export function createCredentialCheck({ repos, hasher, limiters, directory }: { repos: Repos<Tables>; hasher: PasswordHasher; limiters: CredentialLimiters; directory: DirectoryService }) {
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

  /**
   * One counted attempt: `compare` says whether the password was right. A success clears
   * the narrow counter and gives the attempt back to the others; a failure of the check
   * itself (the directory did not answer) counts on none, since nothing was guessed.
   */
  async function attempt<T>(user: User | undefined, identifier: string, ctx: RequestContext, compare: () => Promise<T | undefined>): Promise<T | undefined> {
    const counters = await countersOf(user, identifier, ctx);
    await reserve(counters.all);
    const found = await compare().catch(async (err: unknown) => {
      await refund(counters.all);
      throw err;
    });
    if (found === undefined) return undefined;
    await counters.own[0].reset(counters.own[1]);
    await refund(counters.all.filter((counter) => counter !== counters.own));
    return found;
  }

  /**
   * The directory's answer, in no less time than a hash comparison: a name the directory
   * checks costs what a local account's wrong password does.
   */
  async function inDirectory<T>(check: Promise<T>, password: string): Promise<T> {
    const [answer] = await Promise.all([check, hasher.verifyDummy(password)]);
    return answer;
  }

  return {
    /** `identifier` is what was typed (username or email address), so unknown names are limited alike. */
    async verify(user: User | undefined, identifier: string, password: string, ctx: RequestContext): Promise<boolean> {
      if (user?.source === 'ldap' && directory.enabled) {
        return (await attempt(user, identifier, ctx, async () => (await inDirectory(directory.verifyPassword(user, password), password)) || undefined)) === true;
      }
      const ok = await attempt(user, identifier, ctx, async () => {
        const right = user?.passwordHash ? await hasher.verify(password, user.passwordHash) : await hasher.verifyDummy(password);
        return (user && right) || undefined;
      });
      if (!ok || !user) return false;
      if (user.passwordHash && hasher.needsRehash(user.passwordHash)) {
        await repos.users.rehashPassword(user.id, await hasher.hash(password));
      }
      return true;
    },

    /**
     * A sign-in the directory checks (a name no local account has, or a directory account's):
     * the account it vouches for, created or refreshed, or undefined. Counted like a local
     * password under the name that was typed.
     */
    signInWithDirectory(user: User | undefined, identifier: string, password: string, ctx: RequestContext): Promise<User | undefined> {
      return attempt(user, identifier, ctx, () => inDirectory(directory.signIn(identifier, password, ctx), password));
    },

    /** Whether the account has a password this service can check: its own, or the directory's. */
    hasPassword(user: User): boolean {
      return user.source === 'ldap' ? directory.enabled : hasPassword(user);
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
