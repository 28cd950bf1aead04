import type { CoreDeps } from './core/feature-deps';
import { createOneTimeLinks } from './core/one-time-links/one-time-links';
import { createPolicies } from './core/policies/policies';
import { localTwoStepAllowed } from './infra/ldap/ldap-config';
import { rateLimits } from './core/rate-limits';
import { createSecurityNotices } from './core/security/security-notices';
import type { Deps } from './deps';
import { createAccountFeature } from './features/account';
import { createAdminFeature } from './features/admin';
import { createApiFeature } from './features/api';
import { createAppearanceFeature } from './features/appearance';
import { createAuthFeature } from './features/auth';
import { createCredentialsFeature } from './features/credentials';
import { createDirectoryFeature } from './features/directory';
import { createHealthFeature } from './features/health';
import { createHomeFeature } from './features/home';
import { createIdentitiesFeature } from './features/identities';
import { createMfaFeature } from './features/mfa';
import { createPasswordFeature } from './features/password';
import { createProfileFeature } from './features/profile';
import { createProviderFeature } from './features/provider';
import { createRetentionFeature } from './features/retention';
import { createSessionsFeature } from './features/sessions';
import type { Feature } from './http/feature';
import { clockOffsetFromDatabase } from './infra/clock-offset';
import { createRepositories } from './repositories';

/**
 * Every feature, built once from the back-ends, each from the features below it (the
 * layers in .dependency-cruiser.cjs). A new feature is one folder with an index.ts and one
 * line here. Routes are mounted in the order of the list.
 */
export function createFeatures(deps: Deps) {
  const { config, clock } = deps;
  const repos = createRepositories(deps.db);
  const oneTimeLinks = createOneTimeLinks({ repos, clock });
  const mail = deps.mail.queue;
  const core: CoreDeps = {
    config,
    clock,
    limiters: deps.limiters,
    limits: rateLimits(config),
    mail,
    links: deps.links,
    sessionRegistry: deps.sessions,
    claims: deps.claims,
    background: deps.background,
    oneTimeLinks,
    places: deps.places,
    policies: createPolicies({ repos, configured: config.policies, localTwoStepFor: (user) => localTwoStepAllowed(config.directory, user) }),
    notices: createSecurityNotices({ mail, links: deps.links, clock, oneTimeLinks }),
  };
  const base = { ...core, repos };
  const { policies } = core;

  const directory = createDirectoryFeature({ ...base, logger: deps.logger });
  const { directory: directoryService } = directory.services;
  const readiness = directoryService.enabled ? [...deps.readiness, { name: 'directory', optional: true, check: () => directoryService.ping() }] : deps.readiness;
  const health = createHealthFeature({ readiness, clockOffsetMs: () => clockOffsetFromDatabase(deps.db, clock) });
  const home = createHomeFeature();
  const password = createPasswordFeature({ ...base, breached: deps.breached, directory: directoryService });
  const sessions = createSessionsFeature(base);
  const mfa = createMfaFeature({ ...base, complete: sessions.complete });
  const auth = createAuthFeature({ ...base, password: password.services, sessions: sessions.services, mfa: mfa.services, complete: sessions.complete, directory: directoryService });
  const identities = createIdentitiesFeature({ ...base, auth: auth.services, complete: sessions.complete });
  const appearance = createAppearanceFeature({ ...base, sessions: sessions.services });
  const profile = createProfileFeature(base);
  const credentials = createCredentialsFeature(base);
  const provider = createProviderFeature({ ...base, sessions: sessions.services, logger: deps.logger, redis: deps.redis });
  const admin = createAdminFeature({ ...base, auth: auth.services, sessions: sessions.services, applications: provider.services.applications, newSecrets: credentials.services.newSecrets });
  const account = createAccountFeature({ ...base, sessions: sessions.services, auth: auth.services, provider: provider.services });
  const retention = createRetentionFeature(base);
  const beforeApi: Feature[] = [directory, health, home, auth, identities, appearance, password, sessions, mfa, profile, credentials, provider, account, admin, retention];
  const api = createApiFeature({ ...base, password: password.services, auth: auth.services, endpoints: beforeApi.flatMap((feature) => feature.api ?? []) });

  const services = {
    ...directory.services,
    ...password.services,
    ...sessions.services,
    ...mfa.services,
    ...auth.services,
    ...identities.services,
    ...appearance.services,
    ...profile.services,
    ...credentials.services,
    ...provider.services,
    ...admin.services,
    ...account.services,
    ...retention.services,
    ...api.services,
  };
  const features: Feature[] = [...beforeApi, api];
  return { features, services, repos, policies };
}

export type Services = ReturnType<typeof createFeatures>['services'];
