import { AppError, ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialCheck } from './credential-check';
import type { User } from '../../core/users/user';
import { PasswordInDirectoryError, type PasswordChanges } from './password-changes';
import type { PasswordHasher } from './password-hasher';
import { newPasswordErrors, type PasswordPolicy } from './password-policy';
import type { PasswordChangeInput } from './password.schemas';

/** Refused: an account made through an identity provider has no password to change until it sets one by a mailed link. */
export class NoPasswordError extends AppError {
  constructor() {
    super(409, 'no_password', 'profile.password.errors.noPassword');
  }
}

/** The password tab: proves the current password, then changes it the one way every route does. */
export function createPasswordChangeService(deps: { credentials: CredentialCheck; hasher: PasswordHasher; policy: PasswordPolicy; changes: PasswordChanges }) {
  /** The rules that need no database, over whichever fields are valid: confirmation, a change at all, the password policy. */
  function check(user: User, input: Partial<PasswordChangeInput>): FieldErrors {
    return newPasswordErrors(deps.policy, input, {
      context: { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName },
      mismatchKey: 'profile.password.errors.mismatch',
      before: (password) => (password === input.current_password ? { key: 'profile.password.errors.same' } : undefined),
    });
  }

  /** Why this account cannot change its password here: a directory account's is changed there; an account without one has none to prove. */
  function refusal(user: User): AppError | undefined {
    if (user.source === 'ldap') return new PasswordInDirectoryError();
    if (user.passwordHash === null) return new NoPasswordError();
    return undefined;
  }

  function requirePassword(user: User): void {
    const refused = refusal(user);
    if (refused) throw refused;
  }

  return {
    check,
    refusal,
    requirePassword,

    /** Every problem at once: a wrong current password is reported together with the new password's. */
    async change(user: User, input: PasswordChangeInput, ctx: RequestContext): Promise<void> {
      requirePassword(user);
      const currentWrong = !(await deps.credentials.verify(user, user.username, input.current_password, ctx));
      ValidationError.throwIfAny({ ...(currentWrong ? { current_password: { key: 'profile.password.errors.currentWrong' } } : {}), ...check(user, input) });
      await deps.changes.apply(user, await deps.hasher.hash(input.password), ctx, 'profile');
    },
  };
}

export type PasswordChangeService = ReturnType<typeof createPasswordChangeService>;
