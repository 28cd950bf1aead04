import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import type { Logger } from '../../infra/logger';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import type { DirectoryPerson } from '../../infra/ldap/directory-client';
import type { Repos } from '../../core/repos';
import { keepOneAdministrator, LastAdministratorError } from '../../core/users/administrators';
import { processAvatar, type ProcessedAvatar } from '../../core/users/avatar-image';
import type { AvatarsRepository } from '../../core/users/avatars.repository';
import { USERNAME, type Role, type User } from '../../core/users/user';
import { DuplicateUserError, type UsersRepository } from '../../core/users/users.repository';
import type { EventContext, NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { Locale } from '../../infra/i18n';

/** The tables this module reads and writes. */
export type DirectoryTables = NoticeTables & { users: UsersRepository; avatars: AvatarsRepository; locks: AdvisoryLocksRepository };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A directory's value as one line of text: control characters (PostgreSQL refuses NUL) go, the ends are trimmed. */
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();

/** The directory's entry cannot become an account here: its name or address is another account's, or missing. */
export class DirectoryAccountError extends ValidationError {
  constructor(reason: 'taken' | 'incomplete') {
    super({ _form: { key: `directory.errors.${reason}` } }, `directory.errors.${reason}`, 409, `directory_account_${reason}`);
  }
}

/** What the directory says about a person, as this service stores it. */
export interface Details {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  role?: Role;
  /** undefined: the entry has no picture; null: it has one that is not an image we can use. */
  avatar?: ProcessedAvatar | null;
}

export function createDirectoryAccounts({ repos, clock, notices, logger }: { repos: Repos<DirectoryTables>; clock: Clock; notices: SecurityNotices; logger: Logger }) {
  /** Decoding costs CPU, so it happens before the transaction; a picture that does not decode is left out. */
  async function detailsOf(person: DirectoryPerson): Promise<Details> {
    const username = oneLine(person.username).toLowerCase();
    const email = oneLine(person.email).toLowerCase();
    if (!USERNAME.test(username) || !EMAIL.test(email) || email.length > 254) throw new DirectoryAccountError('incomplete');
    const avatar = person.avatar && (await processAvatar(person.avatar).catch((err: unknown) => (logger.warn({ err, username }, 'directory picture not used'), null)));
    return {
      username,
      email,
      firstName: oneLine(person.firstName).slice(0, 100),
      lastName: oneLine(person.lastName).slice(0, 100),
      role: person.admin === undefined ? undefined : person.admin ? 'admin' : 'user',
      avatar,
    };
  }

  /**
   * The directory's group decides the role, except that its last administrator stays one
   * (the same rule as the console's): losing the group then shows in the log, not as a
   * service without administrators.
   */
  async function applyRole(tx: DirectoryTables, user: User, role: Role | undefined, ctx: EventContext, now: Date): Promise<boolean> {
    if (!role || role === user.role) return false;
    if (role === 'user') {
      try {
        await keepOneAdministrator(tx, user, 'admin.roles.errors.lastAdministrator');
      } catch (err) {
        if (!(err instanceof LastAdministratorError)) throw err;
        logger.warn({ username: user.username }, 'directory group would remove the last administrator; role kept');
        return false;
      }
    }
    await tx.users.setRole(user.id, role, now);
    await notices.record(tx, user, role === 'admin' ? 'role_granted' : 'role_revoked', ctx);
    return true;
  }

  async function applyAvatar(tx: DirectoryTables, user: User, avatar: Details['avatar'], now: Date): Promise<boolean> {
    if (avatar === null) return false;
    if (!avatar) {
      if (!user.avatarHash) return false;
      await tx.avatars.delete(user.id);
      await tx.users.setAvatarHash(user.id, null, now);
      return true;
    }
    if (avatar.hash === user.avatarHash) return false;
    await tx.avatars.upsert({ userId: user.id, hash: avatar.hash, large: avatar.large, small: avatar.small, now });
    await tx.users.setAvatarHash(user.id, avatar.hash, now);
    return true;
  }

  /** Writes what differs; whether anything did, and whether the role did (its sessions must then end). */
  async function refreshIn(tx: DirectoryTables, user: User, details: Details, ctx: EventContext, now: Date): Promise<{ changed: boolean; roleChanged: boolean }> {
    let changed = false;
    if (details.firstName !== user.firstName || details.lastName !== user.lastName) {
      await tx.users.setName(user.id, details, now);
      changed = true;
    }
    if (details.email !== user.email) {
      // Checked first: a unique violation would end the sync's whole transaction.
      const holder = await tx.users.findByEmail(details.email);
      if (holder && holder.id !== user.id) logger.warn({ username: user.username }, 'directory address belongs to another account here; address kept');
      else {
        await tx.users.setEmail(user.id, details.email, now);
        changed = true;
      }
    }
    changed = (await applyAvatar(tx, user, details.avatar, now)) || changed;
    const roleChanged = await applyRole(tx, user, details.role, ctx, now);
    return { changed: changed || roleChanged, roleChanged };
  }

  const taken = (err: unknown) => {
    if (err instanceof DuplicateUserError) throw new DirectoryAccountError('taken');
    throw err;
  };

  return {
    /**
     * The account of a person the directory just vouched for: created at the first sign-in
     * (the address counts as verified: the organisation gave it), refreshed at later ones.
     * The entry's username names the account, whatever was typed to find the entry; a
     * local account with the same username or address is never taken over.
     */
    async adopt(person: DirectoryPerson, ctx: EventContext & { locale: Locale }): Promise<User> {
      const details = await detailsOf(person);
      const now = clock.now();
      const id = await repos
        .transaction(async (tx) => {
          const user = await tx.users.findByUsername(details.username);
          if (user && user.source !== 'ldap') throw new DirectoryAccountError('taken');
          if (user) {
            await refreshIn(tx, user, details, ctx, now);
            return user.id;
          }
          const created = await tx.users.insert({ ...details, passwordHash: null, language: ctx.locale, theme: null, now, source: 'ldap', emailVerifiedAt: now });
          await refreshIn(tx, created, { ...details, role: details.role === 'admin' ? 'admin' : undefined }, ctx, now);
          return created.id;
        })
        .catch(taken);
      return (await repos.users.findById(id)) as User;
    },

    /** The entry in this service's terms (its picture decoded), before a transaction. */
    detailsOf,

    /** Inside the sync's transaction: writes what differs; whether anything did, and whether the role did. */
    refreshIn(tx: DirectoryTables, user: User, details: Details, ctx: EventContext): Promise<{ changed: boolean; roleChanged: boolean }> {
      return refreshIn(tx, user, details, ctx, clock.now());
    },
  };
}

export type DirectoryAccounts = ReturnType<typeof createDirectoryAccounts>;
