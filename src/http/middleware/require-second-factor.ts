import type { RequestHandler } from 'express';
import type { Policies } from '../../core/policies/policies';
import type { Clock } from '../../infra/clock';
import { ForbiddenError } from '../../infra/errors';
import { flash } from '../session';
import { URLS } from '../urls';

declare module 'express-serve-static-core' {
  interface Locals {
    /** What the two-step policy asks of the signed-in person now, for the banner and the Security tab. */
    twoStep?: { kind: 'reminded'; deadline: Date } | { kind: 'required'; now: boolean };
  }
}

/** What someone who must set up a second factor may still reach. */
const ALLOWED = [/^\/profile\/security(\/|$)/, /^\/reauth(\/|$)/, /^\/logout$/, /^\/password\/strength$/];

/**
 * The two-step policy (REQUIRE_2FA, or the console's): a session remembers what it asked at
 * sign-in, so the page views of everyone else read nothing. A session it applied to reads
 * the policy again on every request, so relaxing it frees people at once. Someone whose
 * grace period was over at sign-in is sent to set up a second factor and can reach nothing
 * else until done (signing out excepted); someone within it sees a reminder, which says,
 * once the period ends, that the next sign-in will ask.
 */
export function requireSecondFactor(policies: Policies, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const mark = req.session?.twoStep;
    if (!mark || !req.user) return next();
    const demand = await policies.twoStepDemand(req.user, clock.now());
    if (!demand) {
      delete req.session.twoStep;
      return next();
    }
    const blocked = mark === 'required' && demand.kind === 'required';
    res.locals.twoStepDemand = demand.kind === 'reminded' ? { kind: 'reminded', deadline: demand.deadline } : { kind: 'required', now: blocked };
    if (!blocked || ALLOWED.some((path) => path.test(req.path))) return next();
    if (req.method !== 'GET' || req.accepts(['html', 'json']) === 'json') return next(new ForbiddenError('mfa.required', 'second_factor_required'));
    flash(req, { type: 'warning', key: 'mfa.required' });
    res.redirect(303, URLS.security);
  };
}
