import type { RequestHandler } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { cookieName, cookieOptions } from '../cookies';
import { UnauthorizedError } from '../errors';
import { loginUrlFor } from '../paths';
import { clientIp } from '../request-context';
import { flash, regenerateSession } from '../session';

/** Activity is written at most this often, so reading pages does not write on every request. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/**
 * Enforces the idle and absolute timeouts by the service's clock (the store's own expiry
 * is the backstop), records activity at most once a minute, and tells a person whose
 * session ended why they are being asked to sign in again.
 */
export function sessionActivity(options: { config: Config; clock: Clock }): RequestHandler {
  const { config, clock } = options;
  const hintCookie = cookieName('signed_in', config);
  return async (req, res, next) => {
    const session = req.session;
    const hadSignedIn = Boolean((req.cookies as Record<string, unknown> | undefined)?.[hintCookie]);
    if (session.userId) {
      const now = clock.now().getTime();
      const idle = now - (session.lastSeenAt ?? 0) > config.sessionIdleMs;
      const tooOld = now - (session.createdAt ?? 0) > config.sessionAbsoluteMs;
      if (idle || tooOld) {
        await regenerateSession(req);
        return expired();
      } else if (now - (session.lastSeenAt ?? 0) >= ACTIVITY_WRITE_INTERVAL_MS || session.ip !== clientIp(req)) {
        session.lastSeenAt = now;
        session.ip = clientIp(req);
      }
    } else if (hadSignedIn) {
      return expired();
    }
    next();

    /** Whatever was asked for, the answer is: sign in again (and then come back here). */
    function expired() {
      flash(req, { type: 'info', key: 'auth.sessionExpired' });
      res.clearCookie(hintCookie, cookieOptions(config));
      if (req.path === '/login') return next();
      if (req.accepts(['html', 'json']) === 'json') return next(new UnauthorizedError('auth.sessionExpired', 'session_expired'));
      res.redirect(303, req.method === 'GET' ? loginUrlFor(req.originalUrl) : '/login');
    }
  };
}
