import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { AuthMethod, FlashMessage } from '../../infra/session-store/session-data';
import { cookieName, cookieOptions } from '../../http/cookies';
import { contextOf } from '../../http/request-context';
import { startSignedInSession } from '../../http/session';
import type { SignInActivity } from '../account/sign-in-activity.service';
import type { SessionsService } from '../sessions/sessions.service';

/** Browsers keep a cookie at most 400 days; it is renewed at every sign-in. */
const DEVICE_COOKIE_MS = 400 * 86_400_000;
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * This browser's long-lived random id (only a digest of it is stored), set when missing.
 * It recognises a device the account has signed in from before, whatever its address.
 */
function deviceHash(req: Request, res: Response, config: Config): string {
  const name = cookieName('did', config);
  const existing = (req.cookies as Record<string, unknown> | undefined)?.[name];
  const id = typeof existing === 'string' && DEVICE_ID.test(existing) ? existing : crypto.randomBytes(32).toString('base64url');
  res.cookie(name, id, { ...cookieOptions(config), maxAge: DEVICE_COOKIE_MS });
  return crypto.createHash('sha256').update(id).digest('hex');
}

/**
 * The last step of every way in (password, password + second factor, passkey, sign-up):
 * the account is checked once more (locked, or waiting for a reset), the sign-in goes into
 * the activity log with a notice for a new device, then a fresh session id, the sign-in
 * method recorded, and the oldest sessions beyond the limit ended.
 */
export function createSignInCompletion(deps: { config: Config; clock: Clock; sessions: SessionsService; activity: SignInActivity }) {
  return async (req: Request, res: Response, userId: string, method: AuthMethod, flash?: FlashMessage[], options: { firstDevice?: boolean } = {}) => {
    await deps.activity.signedIn(userId, method, contextOf(req, res), { hash: deviceHash(req, res, deps.config), firstDevice: options.firstDevice });
    await startSignedInSession(req, res, { userId, method, clock: deps.clock, config: deps.config, enforceLimit: deps.sessions.enforceLimit, carry: { flash } });
  };
}

export type SignInCompletion = ReturnType<typeof createSignInCompletion>;
