import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { isProtocolRequest } from './protocol-requests';

const API_PREFIX = '/api/v1/';

/**
 * Synchronizer tokens kept in the session (csrf-sync). Forms send `_csrf`; scripts send
 * the X-CSRF-Token header. Every state-changing browser route is checked, whatever the
 * content type and whatever Authorization header comes along: only the JSON API accepts
 * tokens and app passwords, so outside it such a header carries no authority of its own.
 * A multipart body is read only on the routes that take uploads, before this check (see
 * `profileUploads`); anywhere else its `_csrf` part is never seen and the post is refused.
 */
const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  },
  // The API checks the token itself, once it knows the caller borrows the browser session (api-auth.ts);
  // the OpenID Provider's endpoints authenticate their clients and guard their own form.
  skipCsrfProtection: (req) => req.path.startsWith(API_PREFIX) || isProtocolRequest(req),
});

export const csrfProtection: RequestHandler = csrf.csrfSynchronisedProtection;

/** Whether the request carries the session's token (for the API's session callers). */
export function hasValidCsrfToken(req: Request): boolean {
  return csrf.isRequestValid(req);
}
