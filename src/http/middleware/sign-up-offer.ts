import type { RequestHandler } from 'express';
import type { Policies } from '../../core/policies/policies';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Whether pages offer "Create account" (the sign-up policy); read for signed-out page views only. */
    signUpOpen?: boolean;
  }
}

/**
 * The header and the sign-in page offer "Create account" only while sign-up is open. Only
 * a signed-out visitor's page sees the offer, so signed-in page views do not pay the read.
 */
export function signUpOffer(policies: Policies): RequestHandler {
  return async (req, res, next) => {
    if (req.user || req.accepts(['html', 'json']) !== 'html') return next();
    res.locals.signUpOpen = (await policies.read('signup')).signup.value === 'open';
    next();
  };
}
