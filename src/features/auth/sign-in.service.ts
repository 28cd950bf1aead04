import { ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { SignInActivity } from '../sessions/sign-in-activity.service';
import type { User } from '../../core/users/user';
import type { SignInInput } from './auth.schemas';
import type { CredentialCheck } from '../password/credential-check';
import type { DirectoryService } from '../directory/directory.service';
import { AccountLockedError, PasswordResetRequiredError } from '../../core/account-state/sign-in-errors';

/** The tables this module reads and writes. */
type Tables = { users: UsersRepository };

export function createSignInService({ repos, credentials, activity, directory }: { repos: Repos<Tables>; credentials: CredentialCheck; activity: SignInActivity; directory: Pick<DirectoryService, 'handles'> }) {
  return {
    /**
     * Checks a username-or-email and password. Unknown accounts and wrong passwords fail
     * alike, with one message and in the same time. With a directory, a name no local
     * account has, and a directory account's, are the directory's to check.
     */
    async verifyPassword(input: SignInInput, ctx: RequestContext): Promise<User> {
      const found = await repos.users.findByIdentifier(input.identifier);
      const user = directory.handles(found)
        ? await credentials.signInWithDirectory(found, input.identifier, input.password, ctx)
        : (await credentials.verify(found, input.identifier, input.password, ctx)) && found;
      if (!user) {
        if (found) activity.failed(found, ctx);
        throw new ValidationError({ _form: { key: 'auth.signIn.errors.invalid' } });
      }
      if (user.lockedAt) throw new AccountLockedError();
      if (user.passwordResetRequired) throw new PasswordResetRequiredError();
      return user;
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
