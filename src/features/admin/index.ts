import { Router, type RequestHandler } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP, type Operation } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { pathTo, URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import type { NewSecrets } from '../credentials/new-secret';
import type { ApplicationsService } from '../provider/applications.service';
import type { SessionsServices } from '../sessions';
import { requireAdmin } from './admin-access';
import { adminAccountsApi } from './admin-accounts.api';
import { createAdminAccountsPages } from './admin-accounts.pages';
import { createAdminApplicationsPages } from './admin-applications.pages';
import { createAdminApplicationsService } from './admin-applications.service';
import { createAdminAuditSection } from './admin-audit.routes';
import { createAdminDeletionService } from './admin-deletion.service';
import { createAdminInvitationsService } from './admin-invitations.service';
import { adminPeopleApi } from './admin-people.api';
import { createAdminPeoplePages } from './admin-people.pages';
import { createAdminPeopleService } from './admin-people.service';
import { adminPersonApi } from './admin-person.api';
import { createAdminPersonActions } from './admin-person-actions.service';
import { createAdminPersonPages } from './admin-person.pages';
import { createAdminPersonService } from './admin-person.service';
import { adminPoliciesApi } from './admin-policies.api';
import { createAdminPoliciesService } from './admin-policies.service';
import { createAdminRolesService } from './admin-roles.service';
import { createAdminSettingsPages, POLICY_FIELDS } from './admin-settings.pages';
import { createAdminUsersService } from './admin-users.service';
import { APPLICATION_FIELDS } from './admin.schemas';

type Deps = CoreDeps & {
  repos: Parameters<typeof createAdminUsersService>[0]['repos'] &
    Parameters<typeof createAdminPersonService>[0]['repos'] &
    Parameters<typeof createAdminPersonActions>[0]['repos'] &
    Parameters<typeof createAdminPeopleService>[0]['repos'] &
    Parameters<typeof createAdminRolesService>[0]['repos'] &
    Parameters<typeof createAdminInvitationsService>[0]['repos'] &
    Parameters<typeof createAdminDeletionService>[0]['repos'] &
    Parameters<typeof createAdminAuditSection>[0]['repos'] &
    Parameters<typeof createAdminPoliciesService>[0]['repos'] &
    Parameters<typeof createAdminApplicationsService>[0]['repos'];
  auth: AuthServices;
  sessions: SessionsServices;
  /** The provider's registration, the one apps:create uses. */
  applications: ApplicationsService;
  /** Where a new secret waits, encrypted in the session, for the one page that shows it. */
  newSecrets: NewSecrets;
};

/** The admin console under /admin (404 for everyone but administrators), its API and the operator commands' services. */
export function createAdminFeature(deps: Deps) {
  const { config, clock, repos } = deps;
  const adminUsers = createAdminUsersService({ repos, clock, notices: deps.notices, sessions: deps.sessionRegistry });
  const adminRoles = createAdminRolesService({
    repos,
    clock,
    notices: deps.notices,
    sessions: deps.sessionRegistry,
    roleFromDirectory: (user) => user.source === 'ldap' && config.directory?.adminGroupDn !== undefined,
  });
  const adminInvitations = createAdminInvitationsService({ repos, clock, passwordReset: deps.auth.passwordReset, mail: deps.mail, links: deps.links, tokenLifetimeMs: config.resetTokenMs });
  const adminDeletion = createAdminDeletionService({ repos, sessions: deps.sessionRegistry, mail: deps.mail, clock, reserveDays: config.deletedReserveDays });
  const accounts = createAdminAccountsPages({ invitations: adminInvitations, roles: adminRoles, deletion: adminDeletion, clock, config });
  const person = createAdminPersonService({ repos, sessions: deps.sessions.sessions, providers: config.oidcProviders });
  const adminPersonActions = createAdminPersonActions({
    repos,
    clock,
    notices: deps.notices,
    registry: deps.sessionRegistry,
    person,
    adminUsers,
    passwordReset: deps.auth.passwordReset,
    emailVerification: deps.auth.emailVerification,
  });
  const adminPeople = createAdminPeopleService({ repos });
  const adminPolicies = createAdminPoliciesService({ repos, clock, policies: deps.policies });
  const settings = createAdminSettingsPages({ adminPolicies, configured: config.policies, clock });
  const people = createAdminPeoplePages({ people: adminPeople, clock });
  const personPages = createAdminPersonPages({ person, actions: adminPersonActions, clock, places: deps.places, reserveDays: config.deletedReserveDays });
  const adminApplications = createAdminApplicationsService({ repos, applications: deps.applications, clock });
  const applicationPages = createAdminApplicationsPages({ adminApplications, secrets: deps.newSecrets, clock, baseUrl: config.baseUrl });

  const routes = Router();
  /** Every person URL: administrators only, then the operation's step-up, which comes back to the person's page. */
  const person$ = (operation: Operation): RequestHandler[] => {
    const guard: RequestHandler = (req, res, next) => guardOperation(operation, { clock, returnTo: pathTo('adminUser', { username: String(req.params.username) }) })(req, res, next);
    return [requireAdmin, Object.assign(guard, { operation })];
  };
  /** GET /admin: the console opens on its list of people. */
  routes.get(URLS.admin, requireAdmin, (_req, res) => res.redirect(303, URLS.adminUsers));
  routes.get(URLS.adminUsers, requireAdmin, guardOperation(OP.adminListUsers, { clock, returnTo: URLS.adminUsers }), people.list);
  // Before the person's page, whose :username would take "new".
  const createUser = guardOperation(OP.adminCreateUser, { clock, returnTo: URLS.adminUserNew, keep: ['first_name', 'last_name', 'email', 'username', 'admin'] });
  routes.get(URLS.adminUserNew, requireAdmin, createUser, accounts.showNew);
  routes.post(URLS.adminUserNew, requireAdmin, createUser, accounts.create);
  routes.get(URLS.adminUser, ...person$(OP.adminViewUser), personPages.show);
  routes.post(URLS.adminUserRole, ...person$(OP.adminChangeRole), accounts.changeRole);
  routes.post(URLS.adminUserDelete, ...person$(OP.adminDeleteUser), accounts.deleteAccount);
  routes.post(URLS.adminUserLock, ...person$(OP.adminLockUser), personPages.lock);
  routes.post(URLS.adminUserUnlock, ...person$(OP.adminUnlockUser), personPages.unlock);
  routes.post(URLS.adminUserResetTwoStep, ...person$(OP.adminResetTwoStep), personPages.resetTwoStep);
  routes.post(URLS.adminUserPasswordReset, ...person$(OP.adminSendPasswordReset), personPages.sendPasswordReset);
  routes.post(URLS.adminUserResendVerification, ...person$(OP.adminResendVerification), personPages.resendVerification);
  routes.post(URLS.adminUserMarkVerified, ...person$(OP.adminMarkEmailVerified), personPages.markVerified);
  routes.post(URLS.adminUserEndSessions, ...person$(OP.adminEndSessions), personPages.endSessions);
  routes.post(URLS.adminUserEndSession, ...person$(OP.adminEndSession), personPages.endSession);
  routes.post(URLS.adminUserRevokeToken, ...person$(OP.adminRevokeCredential), personPages.revokeToken);
  routes.post(URLS.adminUserRevokeAppPassword, ...person$(OP.adminRevokeCredential), personPages.revokeAppPassword);
  routes.post(URLS.adminUserDeleteKey, ...person$(OP.adminRevokeCredential), personPages.deleteKey);
  const settingsGuard = { clock, returnTo: URLS.adminSettings };
  routes.get(URLS.adminSettings, requireAdmin, guardOperation(OP.adminViewPolicies, settingsGuard), settings.show);
  routes.post(URLS.adminSettings, requireAdmin, guardOperation(OP.adminChangePolicies, { ...settingsGuard, keep: POLICY_FIELDS }), settings.save);
  const applicationsGuard = { clock, returnTo: URLS.adminApplications };
  routes.get(URLS.adminApplications, requireAdmin, guardOperation(OP.adminListApplications, applicationsGuard), applicationPages.show);
  routes.post(URLS.adminApplications, requireAdmin, guardOperation(OP.adminRegisterApplication, { ...applicationsGuard, keep: APPLICATION_FIELDS }), applicationPages.register);
  routes.post(URLS.adminApplicationRemove, requireAdmin, guardOperation(OP.adminRemoveApplication, applicationsGuard), applicationPages.remove);
  const audit = createAdminAuditSection({ repos, clock });
  routes.use(audit.routes);
  const api = [
    ...audit.api,
    ...adminPoliciesApi({ adminPolicies }),
    ...adminPeopleApi({ people: adminPeople }),
    ...adminPersonApi({ person, actions: adminPersonActions }),
    ...adminAccountsApi({ invitations: adminInvitations, roles: adminRoles, deletion: adminDeletion }),
  ];
  return { services: { adminUsers, adminPeople, adminPersonActions, adminRoles, adminInvitations, adminDeletion, adminAudit: audit.audit, adminPolicies, adminApplications }, routes, api } satisfies Feature;
}
