import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../infra/logger';
import { isBackendUnavailable } from '../infra/db-errors';
import type { Catalogues, Translator } from '../infra/i18n';
import { AppError, BadRequestError, CsrfError, NotFoundError, PayloadTooLargeError, RateLimitedError, ServiceUnavailableError, ValidationError } from '../infra/errors';
import { safeNext } from './paths';
import { InvalidLinkError } from '../core/one-time-links/one-time-links';
import { renderPage } from './render';
import type { SecretRoutes } from './secret-routes';
import type { ExpiredForms } from './expired-forms';
import { answerWithoutSession } from './session';

/** Failures raised by libraries, given their words. */
function fromLibrary(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: unknown; code?: unknown; status?: unknown; statusCode?: unknown; name?: unknown };
  if (e.code === 'EBADCSRFTOKEN') return new CsrfError();
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE') return new PayloadTooLargeError();
  if (e.type === 'entity.parse.failed') return new BadRequestError('errors.malformedBody', 'malformed_body');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new BadRequestError('errors.unsupportedEncoding', 'unsupported_encoding');
  if (err instanceof URIError) return new BadRequestError('errors.badUrl', 'bad_url');
  if (isBackendUnavailable(err)) return new ServiceUnavailableError();
  const status = Number(e.status ?? e.statusCode);
  if (status === 404) return new NotFoundError();
  if (status >= 400 && status < 500) return new AppError(status, 'bad_request', 'errors.badRequest');
  return undefined;
}

/** A form post with an expired token gets its form back when its route has one (see expired-forms.ts). */
async function answeredAsForm(req: Request, res: Response, expiredForms: ExpiredForms | undefined, logger: Logger): Promise<boolean> {
  if (!expiredForms || req.method !== 'POST' || !req.is('urlencoded')) return false;
  try {
    return await expiredForms(req, res);
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'expired form could not be shown again');
    return res.headersSent;
  }
}

const TITLED = { 400: 1, 401: 1, 403: 1, 404: 1, 413: 1, 422: 1, 429: 1, 503: 1 };

/** GET of a path nothing answers: 404 in words. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The one place failures become responses: a page in the person's language, or
 * `{ error: { code, message, fields? } }` for JSON clients (always, under /api/v1). Unexpected errors are logged
 * with their stack (and the path, its secrets cut out) and answered with a plain 500 page
 * that reveals nothing.
 */
export function errorHandler(logger: Logger, catalogues: Catalogues, site: { baseUrl: URL; secretRoutes: SecretRoutes; expiredForms?: ExpiredForms }): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    const path = site.secretRoutes.redact(req.originalUrl);
    // express-session saves the session as the response ends and reports a failure after
    // the answer was sent in full (a change stored, its message not): Express's own handler
    // would print the stack outside the log and destroy the connection the browser keeps open.
    if (res.writableEnded) {
      logger.warn({ err: err instanceof Error ? err.message : String(err), path }, 'failed after the answer was sent');
      return;
    }
    if (res.headersSent) return next(err);
    let error = err instanceof AppError ? err : fromLibrary(err);
    if (!error) {
      logger.error({ err, method: req.method, path }, 'unhandled error');
      error = new AppError(500, 'internal_error', 'errors.internal');
    } else if (error.status === 503) {
      logger.warn({ err: err instanceof Error ? err.message : String(err), path }, 'back-end unavailable');
      answerWithoutSession(req, res);
    }
    const t = (res.locals.t as Translator | undefined) ?? catalogues.translator('en');
    const message = t(error.messageKey, error.params);
    if (error instanceof RateLimitedError) res.set('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 503) res.set('Retry-After', '5');
    res.set('Cache-Control', 'no-store');
    const fields = error instanceof ValidationError ? error.fields : undefined;
    // A `.json` address (an export) answers its failures in JSON too, whatever the client accepts.
    const wantsJson = req.path.startsWith('/api/v1/') || req.path.endsWith('.json') || req.accepts(['html', 'json']) === 'json';
    if (wantsJson) {
      res.status(error.status).json({
        error: {
          code: error.code,
          message,
          ...(fields ? { fields: Object.fromEntries(Object.entries(fields).map(([name, m]) => [name, t(m.key, m.params)])) } : {}),
        },
      });
      return;
    }
    if (error instanceof CsrfError && (await answeredAsForm(req, res, site.expiredForms, logger))) return;
    try {
      await renderPage(
        res,
        // A dead emailed link gets a page with a way forward (ask for a new one).
        error instanceof InvalidLinkError ? 'errors/invalid-link' : 'errors/error',
        {
          title: t(error.titleKey ?? `errors.titles.${error.status in TITLED ? error.status : 500}`),
          status: error.status,
          message,
          fields: fields ?? {},
          retryAfterSeconds: error instanceof RateLimitedError ? error.retryAfterSeconds : undefined,
          // The path comes from the request: `//evil.example` must not become a link to another site.
          retryPath: req.method === 'GET' ? undefined : safeNext(req.path, site.baseUrl, '') || undefined,
          ...error.details,
        },
        error.status,
      );
    } catch (renderError) {
      logger.error({ err: renderError }, 'error page failed to render');
      answerWithoutSession(req, res);
      res.status(error.status).type('text').send(message);
    }
  };
}
