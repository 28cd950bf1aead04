import { AppError } from '../../infra/errors';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import type { User } from './user';
import type { UsersRepository } from './users.repository';

/** Held by every change that could take the last administrator away, so such changes take turns. */
const ADMINISTRATORS_LOCK = 'atrium:administrators';

/** Refused: the change would leave the service without an administrator. */
export class LastAdministratorError extends AppError {
  constructor(messageKey: string) {
    super(409, 'last_administrator', messageKey);
  }
}

/**
 * Inside a transaction: waits for the administrators' lock, then refuses with `messageKey`
 * when `user` is the only administrator left. Counting after the lock sees every change
 * committed by the transaction that held it before, so two administrators demoting each
 * other at the same moment leave one. The console, account deletion and the directory's
 * group all demote through here.
 */
export async function keepOneAdministrator(tx: { users: UsersRepository; locks: AdvisoryLocksRepository }, user: User, messageKey: string): Promise<void> {
  await tx.locks.lock(ADMINISTRATORS_LOCK);
  const current = await tx.users.findById(user.id);
  if (current?.role === 'admin' && (await tx.users.countAdministrators()) <= 1) throw new LastAdministratorError(messageKey);
}
