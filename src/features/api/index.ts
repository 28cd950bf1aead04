import type { CoreDeps } from '../../core/feature-deps';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import { cookieName } from '../../http/cookies';
import type { Feature } from '../../http/feature';
import type { AuthServices } from '../auth';
import type { PasswordServices } from '../password';
import { apiAuth } from './api-auth';
import { createApiAccessService } from './api-access.service';
import { apiRoutes } from './api.routes';
import { openApiDocument } from './openapi';

type Deps = CoreDeps & { repos: Parameters<typeof createApiAccessService>[0]['repos']; password: PasswordServices; auth: AuthServices; endpoints: ApiEndpoint[] };

/** The JSON API under /api/v1: every feature's endpoints behind one authentication, its document and its docs page. */
export function createApiFeature(deps: Deps) {
  const { config, clock, limits } = deps;
  const apiAccess = createApiAccessService({ repos: deps.repos, clock, notices: deps.notices, credentials: deps.password.credentials });
  const document = openApiDocument(deps.endpoints, { productName: config.productName, baseUrl: config.baseUrl, sessionCookie: cookieName('sid', config) });
  const auth = apiAuth({ access: apiAccess, perClient: deps.limiters(limits.apiClient), perIp: deps.limiters(limits.apiIp) });
  return {
    services: { apiAccess },
    routes: apiRoutes({ endpoints: deps.endpoints, auth, reauth: deps.auth.reauth, clock, document }),
  } satisfies Feature;
}
