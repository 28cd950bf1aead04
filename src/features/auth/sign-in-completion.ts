import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { AuthMethod, FlashMessage } from '../../infra/session-store/session-data';
import { startSignedInSession } from '../../http/session';
import type { SessionsService } from '../sessions/sessions.service';

/**
 * The last step of every way in (password, password + second factor, passkey): a fresh
 * session id, the sign-in method recorded, and the oldest sessions beyond the limit ended.
 */
export function createSignInCompletion(deps: { config: Config; clock: Clock; sessions: SessionsService }) {
  return (req: Request, res: Response, userId: string, method: AuthMethod, flash?: FlashMessage[]) =>
    startSignedInSession(req, res, { userId, method, clock: deps.clock, config: deps.config, enforceLimit: deps.sessions.enforceLimit, carry: { flash } });
}

export type SignInCompletion = ReturnType<typeof createSignInCompletion>;
