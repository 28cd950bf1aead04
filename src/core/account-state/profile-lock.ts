import { ForbiddenError } from '../../infra/errors';
import type { User } from '../users/user';

export type LockReason = 'administrator' | 'directory';

/**
 * Whether someone else manages this person's names, addresses and avatar: the whole
 * installation (PROFILE_LOCKED), or the LDAP directory the account comes from. An account
 * made through an identity provider chose its details at sign-up and keeps them its own.
 */
export function profileLockOf(user: Pick<User, 'source'>, profileLocked: boolean): LockReason | null {
  if (user.source === 'ldap') return 'directory';
  return profileLocked ? 'administrator' : null;
}

export class ProfileLockedError extends ForbiddenError {
  constructor(reason: LockReason) {
    super(`profile.locked.${reason}`, 'profile_locked');
  }
}

/** Refuses a change to a managed detail, whatever the form showed. */
export function assertProfileEditable(user: Pick<User, 'source'>, profileLocked: boolean): void {
  const reason = profileLockOf(user, profileLocked);
  if (reason) throw new ProfileLockedError(reason);
}
