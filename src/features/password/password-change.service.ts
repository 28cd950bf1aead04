import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialCheck } from './credential-check';
import type { User } from '../../core/users/user';
import type { PasswordChanges } from './password-changes';
import type { PasswordHasher } from './password-hasher';
import type { PasswordPolicy } from './password-policy';
import type { PasswordChangeInput } from './password.schemas';

/** The password tab: proves the current password, then changes it the one way every route does. */
export function createPasswordChangeService(deps: { credentials: CredentialCheck; hasher: PasswordHasher; policy: PasswordPolicy; changes: PasswordChanges }) {
  /** The rules that need no database, over whichever fields are valid: confirmation, a change at all, the password policy. */
  function check(user: User, input: Partial<PasswordChangeInput>): FieldErrors {
    const errors: FieldErrors = {};
    if (input.password !== undefined) {
      const problem = input.password === input.current_password ? { key: 'profile.password.errors.same' } : deps.policy.check(input.password, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
      if (problem) errors.password = problem;
    }
    if (input.password !== undefined && input.password_confirm !== undefined && input.password !== input.password_confirm) {
      errors.password_confirm = { key: 'profile.password.errors.mismatch' };
    }
    return errors;
  }

  return {
    check,

    /** Every problem at once: a wrong current password is reported together with the new password's. */
    async change(user: User, input: PasswordChangeInput, ctx: RequestContext): Promise<void> {
      const currentWrong = !(await deps.credentials.verify(user, user.username, input.current_password, ctx));
      ValidationError.throwIfAny({ ...(currentWrong ? { current_password: { key: 'profile.password.errors.currentWrong' } } : {}), ...check(user, input) });
      await deps.changes.apply(user, await deps.hasher.hash(input.password), ctx, 'profile');
    },
  };
}

export type PasswordChangeService = ReturnType<typeof createPasswordChangeService>;
