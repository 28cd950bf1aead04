import type { Request, RequestHandler } from 'express';

/**
 * Requests a protocol library answers on its own (the OpenID Provider's endpoints): it
 * reads its own bodies and checks its own tokens (client authentication, PKCE, its logout
 * form's xsrf value), so the site's body parsers and CSRF check step aside for them.
 */
const protocolRequests = new WeakSet<Request>();

export function isProtocolRequest(req: Request): boolean {
  return protocolRequests.has(req);
}

/** Marks the requests whose path `owns` claims, before the body parsers run. */
export function markProtocolRequests(owns: (path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (owns(req.path)) protocolRequests.add(req);
    next();
  };
}

/** Runs `handler` for every request but the protocol's own. */
export function exceptProtocolRequests(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (protocolRequests.has(req) ? next() : handler(req, res, next));
}
