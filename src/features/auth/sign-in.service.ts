import { ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { Repositories } from '../../repositories';
import type { SignInActivity } from '../account/sign-in-activity.service';
import type { User } from '../users/user';
import type { SignInInput } from './auth.schemas';
import type { CredentialCheck } from './credential-check';
import { AccountLockedError, PasswordResetRequiredError } from './sign-in-errors';

export function createSignInService({ repos, credentials, activity }: { repos: Repositories; credentials: CredentialCheck; activity: SignInActivity }) {
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
