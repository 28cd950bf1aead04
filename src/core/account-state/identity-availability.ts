import type { FieldErrors } from '../../infra/errors';
import type { UsersRepository } from '../users/users.repository';
import type { DeletedIdentitiesRepository } from './deleted-identities.repository';

/**
 * Why a new account cannot have this username or address: another account has it, or a
 * deleted account's reservation (DELETED_RESERVE_DAYS) still holds it, so nobody can pose
 * as its owner. Both say "taken", as sign-up always has. Sign-up and accounts made by an
 * administrator or operator ask the same question; the unique indexes still settle races.
 */
export async function identityErrors(
  repos: { users: Pick<UsersRepository, 'findByUsername' | 'findByEmail'>; deletedIdentities: Pick<DeletedIdentitiesRepository, 'isReserved'> },
  identity: { username?: string; email?: string },
  now: Date,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const { username, email } = identity;
  if (username !== undefined && ((await repos.users.findByUsername(username)) || (await repos.deletedIdentities.isReserved('username', username, now)))) {
    errors.username = { key: 'auth.signUp.errors.usernameTaken' };
  }
  if (email !== undefined && ((await repos.users.findByEmail(email)) || (await repos.deletedIdentities.isReserved('email', email, now)))) {
    errors.email = { key: 'auth.signUp.errors.emailTaken' };
  }
  return errors;
}
