import { ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialCheck } from '../auth/credential-check';
import type { User } from '../users/user';

/** Confirming one's identity again before a sensitive change (step-up). */
export function createReauthService({ credentials }: { credentials: CredentialCheck }) {
  return {
    async confirmPassword(user: User, password: string, ctx: RequestContext): Promise<void> {
      if (!(await credentials.verify(user, user.username, password, ctx.ip))) {
        throw ValidationError.field('password', 'reauth.errors.wrongPassword');
      }
    },
  };
}

export type ReauthService = ReturnType<typeof createReauthService>;
