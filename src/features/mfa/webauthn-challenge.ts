import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { Clock } from '../../infra/clock';
import { CHALLENGE_LIFETIME_MS, PasskeyError } from './passkeys.service';

type Purpose = NonNullable<SessionData['webauthn']>['purpose'];

/**
 * Challenges live in the session: bound to it, for one purpose, for five minutes. The
 * session alone cannot make them single use (two requests may carry it at once): the
 * passkeys service claims each challenge as it checks the answer.
 */
export function rememberChallenge(req: Request, purpose: Purpose, challenge: string, clock: Clock): void {
  req.session.webauthn = { challenge, purpose, expiresAt: clock.now().getTime() + CHALLENGE_LIFETIME_MS };
}

export function takeChallenge(req: Request, purpose: Purpose, clock: Clock): string {
  const stored = req.session.webauthn;
  delete req.session.webauthn;
  if (!stored || stored.purpose !== purpose || stored.expiresAt <= clock.now().getTime()) throw new PasskeyError('passkeys.errors.expired');
  return stored.challenge;
}
