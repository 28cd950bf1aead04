import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import { requireAdmin } from './admin-access';
import { adminAccountsApi } from './admin-accounts.api';
import { createAdminAccountsPages } from './admin-accounts.pages';
import { createAdminDeletionService } from './admin-deletion.service';
import { createAdminInvitationsService } from './admin-invitations.service';
import { createAdminRolesService } from './admin-roles.service';
import { createAdminUsersService } from './admin-users.service';

type Deps = CoreDeps & {
  repos: Parameters<typeof createAdminUsersService>[0]['repos'] &
    Parameters<typeof createAdminRolesService>[0]['repos'] &
    Parameters<typeof createAdminInvitationsService>[0]['repos'] &
    Parameters<typeof createAdminDeletionService>[0]['repos'];
  auth: AuthServices;
};

/** The admin console under /admin (404 for everyone but administrators), its API and the operator commands' services. */
export function createAdminFeature(deps: Deps) {
  const { config, clock, repos } = deps;
  const adminUsers = createAdminUsersService({ repos, clock, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry });
  const adminRoles = createAdminRolesService({ repos, clock, notices: deps.notices, sessions: deps.sessionRegistry });
  const adminInvitations = createAdminInvitationsService({ repos, clock, passwordReset: deps.auth.passwordReset, mail: deps.mail, links: deps.links, tokenLifetimeMs: config.resetTokenMs });
  const adminDeletion = createAdminDeletionService({ repos, sessions: deps.sessionRegistry, mail: deps.mail, clock, reserveDays: config.deletedReserveDays });
  const accounts = createAdminAccountsPages({ invitations: adminInvitations, roles: adminRoles, deletion: adminDeletion, clock, config });

  const routes = Router();
  /** GET /admin: the console opens on its list of people. */
  routes.get(URLS.admin, requireAdmin, (_req, res) => res.redirect(303, URLS.adminUsers));
  const createUser = guardOperation(OP.adminCreateUser, { clock, returnTo: URLS.adminUserNew, keep: ['first_name', 'last_name', 'email', 'username', 'admin'] });
  routes.get(URLS.adminUserNew, requireAdmin, createUser, accounts.showNew);
  routes.post(URLS.adminUserNew, requireAdmin, createUser, accounts.create);
  routes.post(URLS.adminUserRole, requireAdmin, guardOperation(OP.adminChangeRole, { clock, returnTo: URLS.adminUsers }), accounts.changeRole);
  routes.post(URLS.adminUserDelete, requireAdmin, guardOperation(OP.adminDeleteUser, { clock, returnTo: URLS.adminUsers }), accounts.deleteAccount);

  const api = adminAccountsApi({ invitations: adminInvitations, roles: adminRoles, deletion: adminDeletion });
  return { services: { adminUsers, adminRoles, adminInvitations, adminDeletion }, routes, api } satisfies Feature;
}
