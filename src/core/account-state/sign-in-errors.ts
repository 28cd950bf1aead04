import { AppError } from '../../infra/errors';

/** Locked by an administrator: no way in until they unlock it. */
export class AccountLockedError extends AppError {
  constructor() {
    super(403, 'account_locked', 'auth.signIn.errors.locked');
  }
}

/** After "This wasn't me": the account opens again only through an emailed reset link. */
export class PasswordResetRequiredError extends AppError {
  constructor() {
    super(403, 'password_reset_required', 'auth.signIn.errors.resetRequired');
  }
}
