import { ForbiddenError } from '../../infra/errors';
import type { User } from '../../core/users/user';

/** Whether this person may turn on this service's second factors (LDAP_ALLOW_LOCAL_2FA for directory people). */
export type LocalTwoStep = (user: Pick<User, 'source'>) => boolean;

/** Refused: this person's directory provides their two-step verification (Cloudron's rule). */
export class TwoStepInDirectoryError extends ForbiddenError {
  constructor() {
    super('directory.twoStep.notHere', 'two_step_in_directory');
  }
}

/** Before anything that adds a second factor (authenticator app or passkey), by page or API. */
export function assertLocalTwoStep(allowed: LocalTwoStep, user: Pick<User, 'source'>): void {
  if (!allowed(user)) throw new TwoStepInDirectoryError();
}
