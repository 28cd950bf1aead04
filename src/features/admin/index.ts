import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import { requireAdmin } from './admin-access';
import { adminPeopleApi } from './admin-people.api';
import { createAdminPeoplePages } from './admin-people.pages';
import { createAdminPeopleService } from './admin-people.service';
import { createAdminUsersService } from './admin-users.service';

type Deps = CoreDeps & { repos: Parameters<typeof createAdminUsersService>[0]['repos'] & Parameters<typeof createAdminPeopleService>[0]['repos']; auth: AuthServices };

/** The admin console under /admin (404 for everyone but administrators), its API and the operator commands' services. */
export function createAdminFeature(deps: Deps) {
  const { clock } = deps;
  const adminUsers = createAdminUsersService({ repos: deps.repos, clock, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry });
  const adminPeople = createAdminPeopleService({ repos: deps.repos });
  const people = createAdminPeoplePages({ people: adminPeople, clock });
  const routes = Router();
  /** GET /admin: the console opens on its list of people. */
  routes.get(URLS.admin, requireAdmin, (_req, res) => res.redirect(303, URLS.adminUsers));
  routes.get(URLS.adminUsers, requireAdmin, guardOperation(OPERATIONS.adminListUsers, { clock, returnTo: URLS.adminUsers }), people.list);
  return { services: { adminUsers, adminPeople }, routes, api: adminPeopleApi({ people: adminPeople }) } satisfies Feature;
}
