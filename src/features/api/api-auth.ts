import type { Request, RequestHandler, Response } from 'express';
import type { ApiAccessService, ApiPrincipal } from './api-access.service';
import type { Limiter } from '../../infra/rate-limit';
import { hasValidCsrfToken } from '../../http/csrf';
import { BadRequestError, CsrfError, ForbiddenError, RateLimitedError, UnauthorizedError } from '../../infra/errors';
import { clientIp, contextOf } from '../../http/request-context';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who calls the JSON API, and with which scope. */
    apiPrincipal?: ApiPrincipal;
  }
}

const CREDENTIAL_PARAMS = ['access_token', 'token', 'api_key', 'apikey', 'password'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function basicCredentials(header: string): [string, string] | undefined {
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : undefined;
}

/** Who is calling: a bearer token, HTTP Basic with an app password, or the signed-in browser. */
async function authenticate(req: Request, res: Response, access: ApiAccessService): Promise<ApiPrincipal> {
  const header = req.get('authorization') ?? '';
  const ctx = contextOf(req, res);
  if (/^bearer /i.test(header)) return access.bearer(header.slice(7).trim(), ctx);
  if (/^basic /i.test(header)) {
    const credentials = basicCredentials(header);
    if (!credentials) throw new UnauthorizedError('api.errors.badCredentials', 'invalid_credentials');
    return access.basic(credentials[0], credentials[1], ctx);
  }
  if (req.user) return { user: req.user, scope: 'write', via: 'session', clientKey: `session:${req.user.id}` };
  res.set('WWW-Authenticate', 'Bearer realm="api", Basic realm="api", charset="UTF-8"');
  throw new UnauthorizedError('api.errors.unauthenticated', 'unauthenticated');
}

/** Counts one call against a limit and reports what is left in the IETF RateLimit header field. */
async function count(limiter: Limiter, key: string, res: Response, report: string[]): Promise<void> {
  try {
    const state = await limiter.consume(key);
    report.push(`"${limiter.spec.name}";r=${state.remaining};t=${state.resetSeconds}`);
  } catch (err) {
    if (err instanceof RateLimitedError) report.push(`"${limiter.spec.name}";r=0;t=${err.retryAfterSeconds}`);
    throw err;
  } finally {
    res.set('RateLimit', report.join(', '));
  }
}

/**
 * JSON API authentication: `Authorization: Bearer <token>`, HTTP Basic with username and
 * app password, or the session cookie (whose changes need the CSRF token, like forms: the
 * browser sends the cookie on its own). A browser may also resend Basic credentials it
 * has cached, so operations that read a body take JSON only (see api.routes.ts).
 * Credentials in the query string are refused: they end up in logs and histories. Every
 * caller is rate limited per address and per client, and told so in RateLimit headers.
 */
export function apiAuth(deps: { access: ApiAccessService; perClient: Limiter; perIp: Limiter }): RequestHandler {
  const policy = [deps.perIp, deps.perClient].map((l) => `"${l.spec.name}";q=${l.spec.points};w=${l.spec.windowSeconds}`).join(', ');
  return async (req, res, next) => {
    // The admin API's gate has authenticated this call already (see api-admin-gate.ts).
    if (req.apiPrincipal) return next();
    res.set('Cache-Control', 'no-store');
    res.set('RateLimit-Policy', policy);
    const report: string[] = [];
    await count(deps.perIp, clientIp(req), res, report);
    if (CREDENTIAL_PARAMS.some((name) => name in (req.query as Record<string, unknown>))) {
      throw new BadRequestError('api.errors.credentialsInQuery', 'credentials_in_query');
    }
    const principal = await authenticate(req, res, deps.access);
    // Known before the checks below refuse the call, so the admin API's gate answers a non-administrator 404 whatever they sent.
    req.user = principal.user;
    req.apiPrincipal = principal;
    if (principal.via === 'session' && !READ_METHODS.has(req.method) && !hasValidCsrfToken(req)) throw new CsrfError();
    await count(deps.perClient, principal.clientKey, res, report);
    if (principal.scope === 'read' && !READ_METHODS.has(req.method)) throw new ForbiddenError('api.errors.insufficientScope', 'insufficient_scope');
    next();
  };
}
