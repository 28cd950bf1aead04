import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import type { BreachedPasswords } from './breached-passwords';
import type { DirectoryService } from '../directory/directory.service';
import { createCredentialCheck } from './credential-check';
import { createPasswordChangeService } from './password-change.service';
import { createPasswordChanges } from './password-changes';
import { createPasswordHasher } from './password-hasher';
import { hashingSlots } from '../../infra/thread-pool';
import { createPasswordPolicy } from './password-policy';
import { createPasswordStrengthApi } from './password-strength.api';
import { passwordApi } from './password.api';
import { createPasswordPages } from './password.pages';

type Deps = CoreDeps & { repos: Parameters<typeof createCredentialCheck>[0]['repos'] & Parameters<typeof createPasswordChanges>[0]['repos']; breached: BreachedPasswords; directory: DirectoryService };

/** Passwords: hashing, the policy, checking them (rate-limited), changing them, and the Password tab. */
export function createPasswordFeature(deps: Deps) {
  const { config, clock, limits } = deps;
  const hasher = createPasswordHasher({ cost: config.bcryptCost, concurrency: hashingSlots(config.threadPoolSize) });
  const policy = createPasswordPolicy({ minLength: config.passwordMinLength, maxLength: config.passwordMaxLength, productName: config.productName, breached: deps.breached });
  const credentials = createCredentialCheck({
    repos: deps.repos,
    hasher,
    limiters: {
      accountAndIp: deps.limiters(limits.signInAccountAndIp),
      accountAndDevice: deps.limiters(limits.signInAccountAndDevice),
      account: deps.limiters(limits.signInAccount),
      ip: deps.limiters(limits.signInIp),
    },
    directory: deps.directory,
  });
  const passwordChanges = createPasswordChanges({ repos: deps.repos, mail: deps.mail, sessions: deps.sessionRegistry, clock, links: deps.links, notices: deps.notices, oneTimeLinks: deps.oneTimeLinks });
  const passwordChange = createPasswordChangeService({ credentials, hasher, policy, changes: passwordChanges });
  const services = { hasher, policy, credentials, passwordChanges, passwordChange };

  const pages = createPasswordPages({ passwordChange, clock, config });
  const routes = Router();
  routes.post(URLS.passwordStrength, createPasswordStrengthApi({ policy, limiter: deps.limiters(limits.passwordStrengthIp) }));
  routes.get(URLS.password, requireUser, pages.show);
  routes.post(URLS.password, requireUser, guardOperation(OP.changePassword, { clock, returnTo: URLS.password }), pages.refuseWithoutPassword, pages.submit);

  return {
    services,
    routes,
    api: passwordApi({ passwordChange }),
    tabs: [{ id: 'password', path: URLS.password, labelKey: 'profile.tabs.password', group: 'profile', icon: 'lock', order: 20, stepUp: true }],
  } satisfies Feature;
}

export type PasswordServices = ReturnType<typeof createPasswordFeature>['services'];
