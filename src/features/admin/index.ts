import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import type { Feature } from '../../http/feature';
import { URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import { requireAdmin } from './admin-access';
import { createAdminAuditSection } from './admin-audit.routes';
import { createAdminUsersService } from './admin-users.service';

type Deps = CoreDeps & { repos: Parameters<typeof createAdminUsersService>[0]['repos'] & Parameters<typeof createAdminAuditSection>[0]['repos']; auth: AuthServices };

/** The admin console under /admin (404 for everyone but administrators), its API and the operator commands' services. */
export function createAdminFeature(deps: Deps) {
  const adminUsers = createAdminUsersService({ repos: deps.repos, clock: deps.clock, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry });
  const routes = Router();
  /** GET /admin: the console opens on its list of people. */
  routes.get(URLS.admin, requireAdmin, (_req, res) => res.redirect(303, URLS.adminUsers));
  const audit = createAdminAuditSection({ repos: deps.repos, clock: deps.clock });
  routes.use(audit.routes);
  return { services: { adminUsers, adminAudit: audit.audit }, routes, api: audit.api } satisfies Feature;
}
