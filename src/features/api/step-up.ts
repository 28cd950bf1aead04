import { ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { ReauthService } from '../sessions/reauth.service';
import type { User } from '../users/user';

/**
 * The API's step-up: sensitive endpoints carry `current_password` (and `code` when an
 * authenticator app is on) in their body, checked exactly like /reauth.
 */
export async function proveIdentity(reauth: ReauthService, user: User, body: { current_password: string; code?: string }, ctx: RequestContext): Promise<void> {
  try {
    await reauth.confirm(user, { password: body.current_password, code: body.code }, ctx);
  } catch (err) {
    if (err instanceof ValidationError && err.fields.password) throw new ValidationError({ current_password: err.fields.password });
    throw err;
  }
}
