import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

const API_PREFIX = '/api/v1/';

/**
 * Synchronizer tokens kept in the session (csrf-sync). Forms send `_csrf`; scripts send
 * the X-CSRF-Token header.
 */
const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  },
  // Multipart bodies are checked by their route once parsed. Requests that carry their own
  // credentials (API tokens, app passwords) are not ambient-authority requests, and an API
  // call without a signed-in session has no authority to borrow: the API answers it (401).
  skipCsrfProtection: (req) =>
    Boolean(req.is('multipart/form-data')) || /^(bearer|basic) /i.test(req.get('authorization') ?? '') || (req.path.startsWith(API_PREFIX) && !req.user),
});

export const csrfProtection: RequestHandler = csrf.csrfSynchronisedProtection;

/** For routes that parse their own body (uploads): checks the token once it is there. */
export const verifyCsrf: RequestHandler = (req, _res, next) => {
  next(csrf.isRequestValid(req) ? undefined : csrf.invalidCsrfTokenError);
};
