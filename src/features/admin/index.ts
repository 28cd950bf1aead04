import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import type { Feature } from '../../http/feature';
import { URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import { requireAdmin } from './admin-access';
import { createAdminUsersService } from './admin-users.service';
import { createAdminPoliciesService } from './admin-policies.service';
import { adminPoliciesApi } from './admin-policies.api';
import { createAdminSettingsPages, POLICY_FIELDS } from './admin-settings.pages';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { OPERATIONS as OP } from '../../core/operations';

type Deps = CoreDeps & { repos: Parameters<typeof createAdminUsersService>[0]['repos'] & Parameters<typeof createAdminPoliciesService>[0]['repos']; auth: AuthServices };

/** The admin console under /admin (404 for everyone but administrators), its API and the operator commands' services. */
export function createAdminFeature(deps: Deps) {
  const adminUsers = createAdminUsersService({ repos: deps.repos, clock: deps.clock, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry });
  const adminPolicies = createAdminPoliciesService({ repos: deps.repos, clock: deps.clock, policies: deps.policies });
  const routes = Router();
  /** GET /admin: the console opens on its list of people. */
  routes.get(URLS.admin, requireAdmin, (_req, res) => res.redirect(303, URLS.adminUsers));
  const settings = createAdminSettingsPages({ adminPolicies, configured: deps.config.policies, clock: deps.clock });
  const settingsGuard = { clock: deps.clock, returnTo: URLS.adminSettings };
  routes.get(URLS.adminSettings, requireAdmin, guardOperation(OP.adminViewPolicies, settingsGuard), settings.show);
  routes.post(URLS.adminSettings, requireAdmin, guardOperation(OP.adminChangePolicies, { ...settingsGuard, keep: POLICY_FIELDS }), settings.save);
  return { services: { adminUsers, adminPolicies }, routes, api: adminPoliciesApi({ adminPolicies }) } satisfies Feature;
}
