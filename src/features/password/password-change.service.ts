import { ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialCheck } from './credential-check';
import type { User } from '../../core/users/user';
import type { PasswordChanges } from './password-changes';
import type { PasswordHasher } from './password-hasher';
import type { PasswordPolicy } from './password-policy';
import type { PasswordChangeInput } from './password.schemas';


/** The password tab: proves the current password, then changes it the one way every route does. */
export function createPasswordChangeService(deps: { credentials: CredentialCheck; hasher: PasswordHasher; policy: PasswordPolicy; changes: PasswordChanges }) {
  return {
    async change(user: User, input: PasswordChangeInput, ctx: RequestContext): Promise<void> {
      if (!(await deps.credentials.verify(user, user.username, input.current_password, ctx))) {
        throw ValidationError.field('current_password', 'profile.password.errors.currentWrong');
      }
      if (input.password !== input.password_confirm) throw ValidationError.field('password_confirm', 'profile.password.errors.mismatch');
      if (input.password === input.current_password) throw ValidationError.field('password', 'profile.password.errors.same');
      const problem = deps.policy.check(input.password, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
      if (problem) throw new ValidationError({ password: problem });
      await deps.changes.apply(user, await deps.hasher.hash(input.password), ctx, 'profile');
    },
  };
}

export type PasswordChangeService = ReturnType<typeof createPasswordChangeService>;
