import type { RequestHandler } from 'express';
import type { Policies } from '../../core/policies/policies';
import { isBackendUnavailable } from '../../infra/db-errors';
import { ServiceUnavailableError } from '../../infra/errors';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Whether pages offer "Create account" (the sign-up policy); read for signed-out page views only. */
    signUpOpen?: boolean;
  }
}

/**
 * The header and the sign-in page offer "Create account" only while sign-up is open. Only
 * a signed-out visitor's page sees the offer, so signed-in page views do not pay the read.
 * The offer is decoration: while the database is away the page still renders (the sign-in
 * page needs no database), without the offer, rather than becoming a 503.
 */
export function signUpOffer(policies: Policies): RequestHandler {
  return async (req, res, next) => {
    if (req.user || req.accepts(['html', 'json']) !== 'html') return next();
    try {
      res.locals.signUpOpen = (await policies.read('signup')).signup.value === 'open';
    } catch (err) {
      if (!(err instanceof ServiceUnavailableError || isBackendUnavailable(err))) throw err;
      res.locals.signUpOpen = false;
    }
    next();
  };
}
