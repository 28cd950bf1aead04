import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireAnonymous, requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import { URLS, pathTo } from '../../http/urls';
import { createOidcClient } from '../../infra/oidc/oidc-client';
import type { AuthServices } from '../auth';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import { connectionsApi } from './connections.api';
import { createConnectionsPages } from './connections.pages';
import { createConnectionsService } from './connections.service';
import { createIdentityFlowPages } from './identity-flow.pages';
import { createIdentitySignInService } from './identity-sign-in.service';
import { createIdentitySignUpPages } from './identity-sign-up.pages';

type Deps = CoreDeps & {
  repos: Parameters<typeof createIdentitySignInService>[0]['repos'] & Parameters<typeof createConnectionsService>[0]['repos'];
  auth: AuthServices;
  complete: SignInCompletion;
};

/**
 * Signing in with other identity providers (OpenID Connect, OIDC_PROVIDERS_FILE) and the
 * identities connected to an account: the Connections tab, its API, and re-authentication
 * through a provider for accounts that have one.
 */
export function createIdentitiesFeature(deps: Deps) {
  const { config, clock, repos, complete } = deps;
  const oidc = createOidcClient({
    providers: config.oidcProviders,
    redirectUri: (provider) => new URL(pathTo('identityCallback', { provider }), config.baseUrl),
    timeoutMs: config.oidcTimeoutMs,
    now: () => clock.now().getTime(),
  });
  const identitySignIn = createIdentitySignInService({
    repos,
    clock,
    notices: deps.notices,
    signUp: deps.auth.signUp,
    emailVerification: deps.auth.emailVerification,
    signUpLimiter: deps.limiters(deps.limits.signUpIp),
  });

  const connections = createConnectionsService({
    repos,
    clock,
    notices: deps.notices,
    providers: config.oidcProviders,
    passwordReset: deps.auth.passwordReset,
    mail: deps.mail,
    links: deps.links,
    tokenLifetimeMs: config.resetTokenMs,
    setPasswordLimiter: deps.limiters(deps.limits.setPasswordLink),
  });

  const flow = createIdentityFlowPages({ oidc, identitySignIn, complete, clock, config });
  const signUpPages = createIdentitySignUpPages({ oidc, identitySignIn, complete, clock, config });
  const connectionPages = createConnectionsPages({ connections, clock });
  const routes = Router();
  routes.param('id', uuidParam);
  routes.post(URLS.identitySignInStart, requireAnonymous, flow.startSignIn);
  routes.get(URLS.identityCallback, flow.callback);
  routes.get(URLS.identitySignUp, signUpPages.signUpUnderWay, signUpPages.show);
  routes.post(URLS.identitySignUp, signUpPages.signUpUnderWay, signUpPages.submit);
  routes.post(URLS.reauthIdentity, requireUser, flow.startReauth);
  routes.post(URLS.connectionConnect, requireUser, guardOperation(OP.connectIdentity, { clock, returnTo: URLS.connections }), flow.startConnect);
  routes.get(URLS.connections, requireUser, guardOperation(OP.listIdentities, { clock, returnTo: URLS.connections }), connectionPages.show);
  routes.post(URLS.connectionSetPassword, requireUser, guardOperation(OP.sendSetPasswordLink, { clock, returnTo: URLS.connections }), connectionPages.sendSetPasswordLink);
  routes.post(URLS.connectionRemove, requireUser, guardOperation(OP.disconnectIdentity, { clock, returnTo: URLS.connections }), connectionPages.remove);

  return {
    services: { oidc, identitySignIn, connections },
    routes,
    api: connectionsApi({ connections }),
    // Only where providers are configured: elsewhere no account can have a connection to show.
    tabs: config.oidcProviders.length > 0 ? [{ id: 'connections', path: URLS.connections, labelKey: 'profile.tabs.connections', group: 'security', icon: 'link', order: 45, stepUp: true }] : [],
  } satisfies Feature;
}

export type IdentitiesServices = ReturnType<typeof createIdentitiesFeature>['services'];
