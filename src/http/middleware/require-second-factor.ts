import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../infra/errors';
import { flash } from '../session';
import { URLS } from '../urls';

/** What someone without a second factor may still reach when REQUIRE_2FA is on. */
const ALLOWED = [/^\/profile\/security(\/|$)/, /^\/reauth(\/|$)/, /^\/logout$/, /^\/password\/strength$/];

/**
 * REQUIRE_2FA=true: a signed-in person without a second factor is sent to set one up
 * and can reach nothing else until done (signing out excepted).
 */
export function requireSecondFactor(required: boolean): RequestHandler {
  return (req, res, next) => {
    if (!required || !req.user || req.user.mfaEnabled || ALLOWED.some((path) => path.test(req.path))) return next();
    if (req.method !== 'GET' || req.accepts(['html', 'json']) === 'json') return next(new ForbiddenError('mfa.required', 'second_factor_required'));
    flash(req, { type: 'warning', key: 'mfa.required' });
    res.redirect(303, URLS.security);
  };
}
