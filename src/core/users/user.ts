import type { Locale } from '../../infra/i18n';

export const THEMES = ['light', 'dark', 'warm', 'contrast'] as const;
export type Theme = (typeof THEMES)[number];

/** Usernames are lower-case only; what people type is lower-cased before these rules. */
export const USERNAME = /^[a-z0-9._-]{3,32}$/;

export type Role = 'user' | 'admin';
export type UserSource = 'local' | 'ldap' | 'oidc';

export interface User {
  id: string;
  username: string;
  email: string;
  emailVerifiedAt: Date | null;
  recoveryEmail: string | null;
  recoveryEmailVerifiedAt: Date | null;
  firstName: string;
  lastName: string;
  passwordHash: string | null;
  language: Locale | null;
  theme: Theme | null;
  role: Role;
  source: UserSource;
  lockedAt: Date | null;
  passwordChangedAt: Date | null;
  /** Content hash of the current avatar; null shows initials. */
  avatarHash: string | null;
  /** Has a second factor (authenticator app or passkey): sign-in and step-up ask for it. */
  mfaEnabled: boolean;
  /** Wants a mail when the account is signed in to from a device it has not seen. */
  notifyNewDevice: boolean;
  /** Locked down after "This wasn't me": no sign-in until a password reset. */
  passwordResetRequired: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

export function initialsOf(user: Pick<User, 'firstName' | 'lastName' | 'username'>): string {
  const letters = [user.firstName, user.lastName].map((part) => Array.from(part.trim())[0] ?? '').join('');
  return (letters || user.username.slice(0, 2)).toLocaleUpperCase();
}

/** Where password reset links go: the verified recovery address when there is one. */
export function recoveryAddressOf(user: Pick<User, 'email' | 'recoveryEmail' | 'recoveryEmailVerifiedAt'>): string {
  return user.recoveryEmail && user.recoveryEmailVerifiedAt ? user.recoveryEmail : user.email;
}

/** Whether the account signs in with a password: its own, or its directory's (LDAP). */
export function hasPassword(user: Pick<User, 'passwordHash' | 'source'>): boolean {
  return user.passwordHash !== null || user.source === 'ldap';
}
