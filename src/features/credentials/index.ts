import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP, type Operation } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import { URLS } from '../../http/urls';
import { createDataCipher } from '../../infra/crypto/data-cipher';
import { createApiTokensService } from './api-tokens.service';
import { createAppPasswordsPages } from './app-passwords.pages';
import { createAppPasswordsService } from './app-passwords.service';
import { credentialsApi } from './credentials.api';
import { createNewSecrets } from './new-secret';
import { createSshKeysPages } from './ssh-keys.pages';
import { createSshKeysService } from './ssh-keys.service';
import { createTokensPages } from './tokens.pages';

type Deps = CoreDeps & {
  repos: Parameters<typeof createApiTokensService>[0]['repos'] & Parameters<typeof createAppPasswordsService>[0]['repos'] & Parameters<typeof createSshKeysService>[0]['repos'];
};

/** Credentials for programs: personal access tokens, app passwords and SSH keys, each with its tab. */
export function createCredentialsFeature(deps: Deps) {
  const { clock, repos, notices } = deps;
  const apiTokens = createApiTokensService({ repos, clock, notices, mail: deps.mail, links: deps.links });
  const appPasswords = createAppPasswordsService({ repos, clock, notices });
  const sshKeys = createSshKeysService({ repos, clock, notices, authorizedKeysLimiter: deps.limiters(deps.limits.authorizedKeysIp) });

  const secrets = createNewSecrets(createDataCipher(deps.config.dataKey, 'session-secrets'));
  const tokens = createTokensPages({ apiTokens, secrets, clock });
  const appPasswordPages = createAppPasswordsPages({ appPasswords, secrets, clock });
  const keys = createSshKeysPages({ sshKeys, clock });
  const guard = (operation: Operation, returnTo: string, keep?: string[]) => guardOperation(operation, { clock, returnTo, keep });
  const routes = Router();
  routes.param('id', uuidParam);
  routes.get(URLS.tokens, requireUser, guard(OP.listTokens, URLS.tokens), tokens.show);
  routes.post(URLS.tokens, requireUser, guard(OP.createToken, URLS.tokens, ['name', 'scope', 'expires', 'expires_on', 'allowed_ips']), tokens.create);
  routes.post(URLS.tokenRegenerate, requireUser, guard(OP.regenerateToken, URLS.tokens), tokens.regenerate);
  routes.post(URLS.tokenRevoke, requireUser, guard(OP.revokeToken, URLS.tokens), tokens.revoke);
  routes.get(URLS.appPasswords, requireUser, appPasswordPages.show);
  routes.post(URLS.appPasswords, requireUser, guard(OP.createAppPassword, URLS.appPasswords, ['name', 'scope']), appPasswordPages.create);
  routes.post(URLS.appPasswordRevoke, requireUser, appPasswordPages.revoke);
  routes.get(URLS.keys, requireUser, guard(OP.listSshKeys, URLS.keys), keys.show);
  routes.post(URLS.keys, requireUser, guard(OP.addSshKey, URLS.keys, ['title']), keys.add);
  routes.post(URLS.keyDelete, requireUser, guard(OP.deleteSshKey, URLS.keys), keys.remove);
  routes.get(URLS.authorizedKeys, keys.authorizedKeys);

  return {
    // The console shows a new application's secret once the same way.
    services: { apiTokens, appPasswords, sshKeys, newSecrets: secrets },
    routes,
    api: credentialsApi({ apiTokens, sshKeys, clock }),
    tabs: [
      { id: 'tokens', path: URLS.tokens, labelKey: 'profile.tabs.tokens', group: 'access', icon: 'token', order: 60, stepUp: true },
      { id: 'app-passwords', path: URLS.appPasswords, labelKey: 'profile.tabs.appPasswords', group: 'access', icon: 'app', order: 70, stepUp: true },
      { id: 'keys', path: URLS.keys, labelKey: 'profile.tabs.keys', group: 'access', icon: 'key', order: 80, stepUp: true },
    ],
  } satisfies Feature;
}

export type CredentialsServices = ReturnType<typeof createCredentialsFeature>['services'];
