import type { Request, RequestHandler } from 'express';
import signature from 'cookie-signature';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { EndReason } from '../../infra/session-store/session-data';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { cookieName, cookieOptions } from '../cookies';
import { UnauthorizedError } from '../../infra/errors';
import { loginUrlFor } from '../paths';
import { clientIp } from '../request-context';
import { flash, regenerateSession } from '../session';
import { URLS } from '../urls';

/** Activity is written at most this often, so reading pages does not write on every request. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

const END_MESSAGES: Record<EndReason | 'expired', string> = {
  expired: 'auth.sessionExpired',
  revoked: 'sessions.ended.revoked',
  password_changed: 'sessions.ended.passwordChanged',
  signed_out_everywhere: 'sessions.ended.everywhere',
  administrator: 'sessions.ended.administrator',
  session_limit: 'sessions.ended.limit',
};

/**
 * Enforces the idle and absolute timeouts by the service's clock (the store's own expiry
 * is the backstop), records activity at most once a minute, and tells a person whose
 * session ended why they are being asked to sign in again.
 */
export function sessionActivity(options: { config: Config; clock: Clock; sessions: SessionRegistry }): RequestHandler {
  const { config, clock } = options;
  const hintCookie = cookieName('signed_in', config);
  const sidCookie = cookieName('sid', config);

  /** The session id the browser presented (its session is gone, or it would be loaded). */
  const presentedSid = (req: Request): string | undefined => {
    const raw = (req.cookies as Record<string, unknown> | undefined)?.[sidCookie];
    if (typeof raw !== 'string' || !raw.startsWith('s:')) return undefined;
    return signature.unsign(raw.slice(2), config.sessionSecret) || undefined;
  };

  return async (req, res, next) => {
    const session = req.session;
    const hadSignedIn = Boolean((req.cookies as Record<string, unknown> | undefined)?.[hintCookie]);
    if (session.userId) {
      const now = clock.now().getTime();
      const idle = now - (session.lastSeenAt ?? 0) > config.sessionIdleMs;
      const tooOld = now - (session.createdAt ?? 0) > config.sessionAbsoluteMs;
      if (idle || tooOld) {
        await regenerateSession(req);
        return ended('expired');
      } else if (now - (session.lastSeenAt ?? 0) >= ACTIVITY_WRITE_INTERVAL_MS || session.ip !== clientIp(req)) {
        session.lastSeenAt = now;
        session.ip = clientIp(req);
      }
    } else if (hadSignedIn) {
      const sid = presentedSid(req);
      const reason = sid && sid !== req.sessionID ? await options.sessions.takeEndReason(sid) : undefined;
      return ended(reason ?? 'expired');
    }
    next();

    /** Whatever was asked for, the answer is: sign in again (and then come back here). */
    function ended(reason: EndReason | 'expired') {
      flash(req, { type: 'info', key: END_MESSAGES[reason] });
      res.clearCookie(hintCookie, cookieOptions(config));
      if (req.path === URLS.signIn) return next();
      if (req.accepts(['html', 'json']) === 'json') return next(new UnauthorizedError(END_MESSAGES[reason], 'session_ended'));
      res.redirect(303, req.method === 'GET' ? loginUrlFor(req.originalUrl, config.baseUrl) : URLS.signIn);
    }
  };
}
