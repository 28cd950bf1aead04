import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { AuthMethod, FlashMessage } from '../../infra/session-store/session-data';
import { ensureDevice } from '../../http/device';
import { contextOf } from '../../http/request-context';
import { startSignedInSession } from '../../http/session';
import type { SignInActivity } from './sign-in-activity.service';
import type { SessionsService } from './sessions.service';

/**
 * The last step of every way in (password or identity provider, either + second factor, passkey, sign-up):
 * the account is checked once more (locked, or waiting for a reset), the sign-in goes into
 * the activity log with a notice for a new device (and the two-step policy's reminder), then a
 * fresh session id, the sign-in method and what the two-step policy asks recorded, and the oldest sessions beyond the limit ended. Page code: the sign-in
 * pages of auth and mfa end with it; what it records goes through SignInActivity.
 */
export function createSignInCompletion(deps: { config: Config; clock: Clock; sessions: SessionsService; activity: SignInActivity }) {
  return async (req: Request, res: Response, userId: string, method: AuthMethod, flash?: FlashMessage[], options: { firstDevice?: boolean; provider?: string } = {}) => {
    const providerName = options.provider && (deps.config.oidcProviders.find((p) => p.id === options.provider)?.name ?? options.provider);
    const twoStep = await deps.activity.signedIn(userId, method, contextOf(req, res), { hash: ensureDevice(req, res, deps.config), firstDevice: options.firstDevice }, providerName);
    await startSignedInSession(req, res, { userId, method, provider: options.provider, clock: deps.clock, config: deps.config, enforceLimit: deps.sessions.enforceLimit, carry: { flash, twoStep: twoStep?.kind } });
  };
}

export type SignInCompletion = ReturnType<typeof createSignInCompletion>;
