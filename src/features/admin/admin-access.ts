import type { Request, RequestHandler } from 'express';
import { NotFoundError } from '../../infra/errors';

/**
 * In front of every /admin page: administrators pass; everyone else, signed out included,
 * gets the site's ordinary 404, so the console does not reveal that it exists. It runs
 * before the step-up guard, so nobody but an administrator is ever sent to /reauth for it.
 */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  next(req.user?.role === 'admin' ? undefined : new NotFoundError());
};

/** The `:username` of a person URL (page or API), as sent. */
export const usernameParam = (req: Request): string => String(req.params.username ?? '');
