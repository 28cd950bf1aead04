import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import type { Repos } from '../../core/repos';
import type { UsersRepository } from '../../core/users/users.repository';
import type { NoticeTables } from '../../core/security/security-notices';
import { OPERATIONS as OP } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import { contextOf } from '../../http/request-context';
import { endSession } from '../../http/session';
import type { SessionsServices } from '../sessions';
import { createDataCipher } from '../../infra/crypto/data-cipher';
import type { Logger } from '../../infra/logger';
import type { Redis } from '../../infra/redis';
import { createApplicationsService } from './applications.service';
import { connectedAppsApi } from './connected-apps.api';
import { createConnectedAppsPages } from './connected-apps.pages';
import { createConnectedAppsService } from './connected-apps.service';
import { createInteractionPages } from './interaction.pages';
import type { OidcClientsRepository } from './oidc-clients.repository';
import type { OidcPayloadsRepository } from './oidc-payloads.repository';
import { providerAdapterClass } from './provider-adapter';
import { PROVIDER_TTL } from './provider-configuration';
import { createProviderHost, KEY_CHECK_MS, ownedByProvider, usableAccount } from './provider-host';
import { createSigningKeysService } from './signing-keys.service';
import type { SigningKeysRepository } from './signing-keys.repository';

type Deps = CoreDeps & {
  sessions: SessionsServices;
  repos: Repos<NoticeTables & { users: UsersRepository; oidcPayloads: OidcPayloadsRepository; oidcClients: OidcClientsRepository; signingKeys: SigningKeysRepository }>;
  logger: Logger;
  redis?: Redis;
};

/**
 * This service as an OpenID Provider for other applications (oidc-provider): discovery
 * at the issuer BASE_URL, its endpoints under /oidc, the sign-in and consent steps as this
 * app's pages, the signing keys, the registered applications, and the Connected apps tab.
 */
export function createProviderFeature(deps: Deps) {
  const { config, clock, repos } = deps;
  const secrets = createDataCipher(config.dataKey, 'oidc-client-secrets');
  const signingKeys = createSigningKeysService({
    repos,
    cipher: createDataCipher(config.dataKey, 'oidc-signing-keys'),
    clock,
    times: { activationDelayMs: 2 * KEY_CHECK_MS, publishRetiredMs: PROVIDER_TTL.IdToken * 1000 + KEY_CHECK_MS },
  });
  const applications = createApplicationsService({ repos, secrets, clock });
  const connectedApps = createConnectedAppsService({ repos, notices: deps.notices, clock });
  const host = createProviderHost({
    config,
    clock,
    logger: deps.logger,
    keys: signingKeys,
    clientAuthLimiter: deps.limiters(deps.limits.providerClientIp),
    adapter: providerAdapterClass({ payloads: repos.oidcPayloads, clients: repos.oidcClients, secrets, clock, redis: deps.redis, keyPrefix: config.redisKeyPrefix }),
    account: async (sub) => usableAccount(await repos.users.findById(sub)),
    signOut: async (req, res) => {
      if (req.user) await deps.sessions.signInActivity.signedOut(req.user, contextOf(req, res));
      await endSession(req, res, config);
    },
    existingGrantId: (accountId, clientId) => repos.oidcPayloads.findGrantId(accountId, clientId, clock.now()),
  });
  const interaction = createInteractionPages({ host, connectedApps, clock, baseUrl: config.baseUrl });
  const appsPages = createConnectedAppsPages({ connectedApps, clock });

  const routes = Router();
  routes.get(URLS.interaction, interaction.show);
  routes.post(URLS.interactionConfirm, requireUser, interaction.allow);
  routes.post(URLS.interactionAbort, interaction.deny);
  routes.get(URLS.connectedApps, requireUser, guardOperation(OP.listConnectedApps, { clock, returnTo: URLS.connectedApps }), appsPages.show);
  routes.post(URLS.connectedAppRevoke, requireUser, guardOperation(OP.revokeConnectedApp, { clock, returnTo: URLS.connectedApps }), appsPages.revoke);

  return {
    services: { signingKeys, applications, connectedApps },
    routes,
    protocol: { owns: ownedByProvider, handler: host.handler },
    api: connectedAppsApi({ connectedApps }),
    // The first start makes the signing key (and every start loads the keys) before anyone asks.
    start: () => host.provider(),
    tabs: [{ id: 'apps', path: URLS.connectedApps, labelKey: 'profile.tabs.apps', group: 'access', icon: 'link', order: 35 }],
  } satisfies Feature;
}

export type ProviderServices = ReturnType<typeof createProviderFeature>['services'];
