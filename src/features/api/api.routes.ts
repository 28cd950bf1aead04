import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { guardApiOperation } from '../../http/middleware/require-recent-auth';
import type { Clock } from '../../infra/clock';
import { AppError } from '../../infra/errors';
import { renderPage } from '../../http/render';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import type { ReauthService } from '../auth/reauth.service';
import { adminApiGate } from './api-admin-gate';
import { apiStepUp } from './api-step-up';
import { API_BASE, type openApiDocument } from './openapi';
import { URLS } from '../../http/urls';

/** Swagger UI styles its widgets inline and draws icons as data: images; only this page allows that. */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const swaggerUiDist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/**
 * An operation that reads a JSON body takes nothing else. A form on another site can send
 * urlencoded, multipart or text/plain bodies without asking, and a browser adds HTTP Basic
 * credentials it has cached for this site; it cannot send application/json without a
 * preflight, which is never granted.
 */
const jsonBodyOnly: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) return next(new AppError(415, 'unsupported_media_type', 'api.errors.jsonOnly'));
  next();
};

/** The JSON API under /api/v1, its OpenAPI document, and the documentation page. */
export function apiRoutes(deps: { endpoints: ApiEndpoint[]; auth: RequestHandler; reauth: ReauthService; document: ReturnType<typeof openApiDocument>; clock: Clock }): Router {
  const router = Router();

  /** GET /api/v1/openapi.json: the description of everything below, public. */
  router.get(URLS.openApiDocument, (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(deps.document);
  });
  /** GET /api/docs: the document, readable (Swagger UI from the installed package; a plain list without JavaScript). */
  router.get(URLS.apiDocs, async (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP);
    await renderPage(res, 'api/docs', { title: deps.document.info.title, document: deps.document, apiDocs: true });
  });
  /** GET /assets/vendor/swagger-ui/:file: the two files the page needs, from the installed package (no CDN). */
  router.get('/assets/vendor/swagger-ui/:file', (req, res, next) => {
    const file = String(req.params.file);
    if (!SWAGGER_FILES.has(file)) return next();
    res.set('Cache-Control', 'public, max-age=86400').sendFile(path.join(swaggerUiDist, file));
  });

  router.use(`${API_BASE}/admin`, adminApiGate(deps.auth));
  router.use(API_BASE, deps.auth);
  for (const endpoint of deps.endpoints) {
    const path = API_BASE + endpoint.path.replace(/\{(\w+)\}/g, ':$1');
    const stepUp = endpoint.stepUp ? [apiStepUp(deps.reauth, endpoint)] : [];
    router[endpoint.method](path, ...(endpoint.body ? [jsonBodyOnly] : []), guardApiOperation(endpoint.operation, deps.clock), ...(endpoint.before ?? []), ...stepUp, endpoint.handler);
  }
  return router;
}
