import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../../infra/errors';
import { baseUrlOf, loginUrlFor } from '../paths';
import { URLS } from '../urls';

/** Pages that need a signed-in person: others go to sign in and come back afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.accepts(['html', 'json']) === 'json') return next(new UnauthorizedError());
  res.redirect(303, req.method === 'GET' ? loginUrlFor(req.originalUrl, baseUrlOf(req)) : URLS.signIn);
};

/** Pages only for people who are not signed in (sign-in, sign-up). */
export const requireAnonymous: RequestHandler = (req, res, next) => {
  if (req.user) return res.redirect(303, '/');
  next();
};
