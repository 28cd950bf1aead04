import { ForbiddenError } from '../../infra/errors';
import type { User } from '../users/user';

export type LockReason = 'administrator' | 'directory';

/**
 * Whether someone else manages this person's names, addresses and avatar: the whole
 * installation (PROFILE_LOCKED), or an external directory the account comes from.
 */
export function profileLockOf(user: Pick<User, 'source'>, profileLocked: boolean): LockReason | null {
  if (user.source !== 'local') return 'directory';
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
