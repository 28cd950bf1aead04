import { ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { SignInActivity } from '../sessions/sign-in-activity.service';
import type { User } from '../../core/users/user';
import type { SignInInput } from './auth.schemas';
import type { CredentialCheck } from '../password/credential-check';
import { AccountLockedError, PasswordResetRequiredError } from '../../core/account-state/sign-in-errors';

/** The tables this module reads and writes. */
type Tables = { users: UsersRepository };

export function createSignInService({ repos, credentials, activity }: { repos: Repos<Tables>; credentials: CredentialCheck; activity: SignInActivity }) {
  return {
    /**
     * Checks a username-or-email and password. Unknown accounts and wrong passwords fail
     * alike, with one message and in the same time.
     */
    async verifyPassword(input: SignInInput, ctx: RequestContext): Promise<User> {
      const user = await repos.users.findByIdentifier(input.identifier);
      if (!(await credentials.verify(user, input.identifier, input.password, ctx)) || !user) {
        if (user) activity.failed(user, ctx);
        throw new ValidationError({ _form: { key: 'auth.signIn.errors.invalid' } });
      }
      if (user.lockedAt) throw new AccountLockedError();
      if (user.passwordResetRequired) throw new PasswordResetRequiredError();
      return user;
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
