import type { Knex } from 'knex';
import { isLocale, type Locale } from '../../infra/i18n';
import { uniqueViolation } from '../../infra/db-errors';
import { isTheme, type Role, type Theme, type User, type UserSource } from './user';

interface UserRow {
  id: string;
  username: string;
  email: string;
  email_verified_at: Date | null;
  recovery_email: string | null;
  recovery_email_verified_at: Date | null;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  language: string | null;
  theme: string | null;
  role: Role;
  source: UserSource;
  locked_at: Date | null;
  password_changed_at: Date | null;
  avatar_hash: string | null;
  mfa_enabled: boolean;
  notify_new_device: boolean;
  password_reset_required: boolean;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  two_step_notice_at?: Date | null;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    recoveryEmail: row.recovery_email,
    recoveryEmailVerifiedAt: row.recovery_email_verified_at,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
    language: isLocale(row.language) ? row.language : null,
    theme: isTheme(row.theme) ? row.theme : null,
    role: row.role,
    source: row.source,
    lockedAt: row.locked_at,
    passwordChangedAt: row.password_changed_at,
    avatarHash: row.avatar_hash,
    mfaEnabled: row.mfa_enabled,
    notifyNewDevice: row.notify_new_device,
    passwordResetRequired: row.password_reset_required,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewUser {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string | null;
  language: Locale | null;
  theme: Theme | null;
  now: Date;
  /** Where the account came from; local unless an identity provider or a directory created it. */
  source?: UserSource;
  /** Set when the address is already proven (an identity provider trusted to say so). */
  emailVerifiedAt?: Date | null;
}

/** Thrown when a username or email is already taken (checked by the unique indexes). */
export class DuplicateUserError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`duplicate ${field}`);
  }
}

/**
 * PostgreSQL text cannot hold U+0000, and a query that sends it fails; no account can have
 * such a name or address, so a lookup by one (from a URL or a header) finds nobody.
 */
const storable = (value: string) => !value.includes('\u0000');

export function createUsersRepository(db: Knex | Knex.Transaction) {
  const users = () => db<UserRow>('users');

  return {
    async findById(id: string): Promise<User | undefined> {
      const row = await users().where({ id }).first();
      return row && toUser(row);
    },

    async findByUsername(username: string): Promise<User | undefined> {
      if (!storable(username)) return undefined;
      const row = await users().whereRaw('lower(username) = lower(?)', [username]).first();
      return row && toUser(row);
    },

    async findByEmail(email: string): Promise<User | undefined> {
      if (!storable(email)) return undefined;
      const row = await users().whereRaw('lower(email) = lower(?)', [email]).first();
      return row && toUser(row);
    },

    /** The account an address belongs to: its primary email, or its verified recovery email. */
    async findByRecoveryAddress(email: string): Promise<User | undefined> {
      const row = await users()
        .whereRaw('lower(email) = lower(?)', [email])
        .orWhere((q) => q.whereRaw('lower(recovery_email) = lower(?)', [email]).whereNotNull('recovery_email_verified_at'))
        .orderByRaw('lower(email) = lower(?) desc', [email])
        .first();
      return row && toUser(row);
    },

    async markEmailVerified(id: string, email: string, now: Date): Promise<boolean> {
      const count = await users().where({ id, email }).whereNull('email_verified_at').update({ email_verified_at: now, updated_at: now });
      return count === 1;
    },

    /** Username or email, whichever the person typed. */
    async findByIdentifier(identifier: string): Promise<User | undefined> {
      if (!storable(identifier)) return undefined;
      const column = identifier.includes('@') ? 'email' : 'username';
      const row = await users().whereRaw(`lower(${column}) = lower(?)`, [identifier]).first();
      return row && toUser(row);
    },

    async insert(user: NewUser): Promise<User> {
      try {
        const [row] = await users()
          .insert({
            username: user.username,
            email: user.email,
            first_name: user.firstName,
            last_name: user.lastName,
            password_hash: user.passwordHash,
            password_changed_at: user.passwordHash ? user.now : null,
            source: user.source ?? 'local',
            email_verified_at: user.emailVerifiedAt ?? null,
            language: user.language,
            theme: user.theme,
            created_at: user.now,
            updated_at: user.now,
          })
          .returning('*');
        return toUser(row as UserRow);
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'users_username_unique') throw new DuplicateUserError('username');
        if (constraint === 'users_email_unique') throw new DuplicateUserError('email');
        throw err;
      }
    },

    async setPassword(id: string, passwordHash: string, now: Date): Promise<void> {
      await users().where({ id }).update({ password_hash: passwordHash, password_changed_at: now, password_reset_required: false, updated_at: now });
    },

    /** After "This wasn't me": nobody signs in until a new password is chosen by emailed link. */
    async requirePasswordReset(id: string, now: Date): Promise<void> {
      await users().where({ id }).update({ password_reset_required: true, updated_at: now });
    },

    async setNotifyNewDevice(id: string, notify: boolean, now: Date): Promise<void> {
      await users().where({ id }).update({ notify_new_device: notify, updated_at: now });
    },

    /**
     * Claims the one two-step notice due since `since`: true for exactly one caller, even
     * when two sign-ins ask at once; false when it was sent already.
     */
    async claimTwoStepNotice(id: string, since: Date, now: Date): Promise<boolean> {
      const count = await users()
        .where({ id })
        .where((q) => q.whereNull('two_step_notice_at').orWhere('two_step_notice_at', '<', since))
        .update({ two_step_notice_at: now });
      return count === 1;
    },

    /** False when the account already was as asked (nothing changed). */
    async setLocked(id: string, locked: boolean, now: Date): Promise<boolean> {
      const query = users().where({ id });
      if (locked) query.whereNull('locked_at');
      else query.whereNotNull('locked_at');
      return (await query.update({ locked_at: locked ? now : null, updated_at: now })) > 0;
    },

    /** A completed sign-in, for the console's list of people (not a change to the account: updated_at stays). */
    async recordSignIn(id: string, now: Date): Promise<void> {
      await users().where({ id }).update({ last_sign_in_at: now });
    },

    /** Silent upgrade of an old hash after a successful sign-in; not a password change. */
    async rehashPassword(id: string, passwordHash: string): Promise<void> {
      await users().where({ id }).update({ password_hash: passwordHash });
    },

    /** Account ids in id order, a page at a time (operator commands over everyone, or over one source's accounts). */
    async listIds(after: string | null, limit: number, source?: UserSource): Promise<string[]> {
      const query = users().select('id').orderBy('id').limit(limit);
      if (after) query.where('id', '>', after);
      if (source) query.where({ source });
      return (await query).map((row) => row.id);
    },

    async countAdministrators(): Promise<number> {
      const [row] = await users().where({ role: 'admin' }).count({ n: '*' });
      return Number(row?.n ?? 0);
    },

    /** False when the account already had that role (nothing changed). */
    async setRole(id: string, role: Role, now: Date): Promise<boolean> {
      return (await users().where({ id }).whereNot({ role }).update({ role, updated_at: now })) > 0;
    },

    async setName(id: string, name: { firstName: string; lastName: string }, now: Date): Promise<void> {
      await users().where({ id }).update({ first_name: name.firstName, last_name: name.lastName, updated_at: now });
    },

    /** Changes the primary address; it arrives verified (the change was confirmed by a link sent to it). */
    async setEmail(id: string, email: string, now: Date): Promise<void> {
      try {
        await users().where({ id }).update({ email, email_verified_at: now, updated_at: now });
      } catch (err) {
        if (uniqueViolation(err) === 'users_email_unique') throw new DuplicateUserError('email');
        throw err;
      }
    },

    async setRecoveryEmail(id: string, recoveryEmail: string | null, verifiedAt: Date | null, now: Date): Promise<void> {
      await users().where({ id }).update({ recovery_email: recoveryEmail, recovery_email_verified_at: verifiedAt, updated_at: now });
    },

    /** Marks the recovery address verified, if it is still the one the link was sent for. */
    async verifyRecoveryEmail(id: string, email: string, now: Date): Promise<boolean> {
      const count = await users().where({ id, recovery_email: email }).update({ recovery_email_verified_at: now, updated_at: now });
      return count === 1;
    },

    async setMfaEnabled(id: string, enabled: boolean, now: Date): Promise<void> {
      await users().where({ id }).update({ mfa_enabled: enabled, updated_at: now });
    },

    /** Removes the account; its avatar, credentials, tokens, keys and events go with it (ON DELETE CASCADE). */
    async delete(id: string): Promise<void> {
      await users().where({ id }).del();
    },

    async setAvatarHash(id: string, avatarHash: string | null, now: Date): Promise<void> {
      await users().where({ id }).update({ avatar_hash: avatarHash, updated_at: now });
    },

    /** Language and theme; an undefined field is left as it is, a null theme follows the device. */
    async setAppearance(id: string, appearance: { language?: Locale; theme?: Theme | null }, now: Date): Promise<void> {
      await users()
        .where({ id })
        .update({ ...(appearance.language ? { language: appearance.language } : {}), ...(appearance.theme !== undefined ? { theme: appearance.theme } : {}), updated_at: now });
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
