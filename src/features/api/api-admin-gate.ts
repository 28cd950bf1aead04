import type { RequestHandler } from 'express';
import { CsrfError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../infra/errors';

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
      if (principal?.user.role !== 'admin') {
        // Whatever refuses the caller (no credentials, a read-only scope, no CSRF token, a
        // locked account) becomes the same 404, so that nothing tells the console is here;
        // other failures (rate limits, outages) are the same on every path and go on as they are.
        const refusal = err instanceof UnauthorizedError || err instanceof ForbiddenError || err instanceof CsrfError;
        return next(err && !refusal ? err : new NotFoundError());
      }
      if (err) return next(err);
      if (principal.via !== 'session' && principal.scope !== 'admin') return next(new ForbiddenError('api.errors.adminScopeRequired', 'insufficient_scope'));
      next();
    };
    Promise.resolve(auth(req, res, decide)).catch(decide);
  };
}
