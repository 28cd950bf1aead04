import type { RequestHandler } from 'express';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../infra/errors';

/**
 * /api/v1/admin: authenticates the caller first (as every API call), then lets only
 * administrators through. Anyone else, an unauthenticated caller included, gets the 404
 * an unknown path gets, so the API does not reveal the console either. An administrator
 * reaches it from the browser session; a token or app password needs the admin scope.
 */
export function adminApiGate(auth: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const decide = (err?: unknown) => {
      const principal = req.apiPrincipal;
      // A refusal after authentication (a read-only credential, a missing CSRF token) would tell a non-administrator the path exists.
      if (err instanceof UnauthorizedError || (principal && principal.user.role !== 'admin')) return next(new NotFoundError());
      if (err) return next(err);
      if (principal?.user.role !== 'admin') return next(new NotFoundError());
      if (principal.via !== 'session' && principal.scope !== 'admin') return next(new ForbiddenError('api.errors.insufficientScope', 'insufficient_scope'));
      next();
    };
    Promise.resolve(auth(req, res, decide)).catch(decide);
  };
}
