import { AppError, ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { Repositories } from '../../repositories';
import type { User } from '../users/user';
import type { SignInInput } from './auth.schemas';
import type { CredentialCheck } from './credential-check';

export class AccountLockedError extends AppError {
  constructor() {
    super(403, 'account_locked', 'auth.signIn.errors.locked');
  }
}

export function createSignInService({ repos, credentials }: { repos: Repositories; credentials: CredentialCheck }) {
  return {
    /**
     * Checks a username-or-email and password. Unknown accounts and wrong passwords fail
     * alike, with one message and in the same time.
     */
    async verifyPassword(input: SignInInput, ctx: RequestContext): Promise<User> {
      const user = await repos.users.findByIdentifier(input.identifier);
      if (!(await credentials.verify(user, input.identifier, input.password, ctx.ip)) || !user) {
        throw new ValidationError({ _form: { key: 'auth.signIn.errors.invalid' } });
      }
      if (user.lockedAt) throw new AccountLockedError();
      return user;
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
