import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import type { AuthServices } from '../auth';
import type { ProviderServices } from '../provider';
import type { SessionsServices } from '../sessions';
import { createAccountDataPages } from './account-data.pages';
import { createAccountDeletionService } from './account-deletion.service';
import { accountApi } from './account.api';
import { createActivityPages } from './activity.pages';
import { createActivityService } from './activity.service';
import { createDataExportService } from './data-export.service';
import { createLockdownPages } from './lockdown.pages';
import { createLockdownService } from './lockdown.service';

type Deps = CoreDeps & {
  repos: Parameters<typeof createAccountDeletionService>[0]['repos'] &
    Parameters<typeof createActivityService>[0]['repos'] &
    Parameters<typeof createDataExportService>[0]['repos'] &
    Parameters<typeof createLockdownService>[0]['repos'];
  sessions: SessionsServices;
  auth: AuthServices;
  provider: Pick<ProviderServices, 'connectedApps'>;
};

/** The account as a whole: its activity log, a copy of its data, "This wasn't me", and deleting it. */
export function createAccountFeature(deps: Deps) {
  const { config, clock, repos } = deps;
  const accountDeletion = createAccountDeletionService({ repos, sessions: deps.sessionRegistry, mail: deps.mail, clock, reserveDays: config.deletedReserveDays });
  const activity = createActivityService({ repos });
  const dataExport = createDataExportService({ repos, sessions: deps.sessions.sessions, connectedApps: deps.provider.connectedApps, clock, productName: config.productName, providers: config.oidcProviders });
  const lockdown = createLockdownService({ repos, oneTimeLinks: deps.oneTimeLinks, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry, clock });

  const activityPages = createActivityPages({ activity, clock });
  const data = createAccountDataPages({ dataExport, accountDeletion, config, clock });
  const lockdownPages = createLockdownPages({ lockdown, config });
  const exportData = guardOperation(OP.exportData, { clock, returnTo: URLS.data });
  const deleteAccount = guardOperation(OP.deleteAccount, { clock, returnTo: URLS.deleteAccount });
  const routes = Router();
  routes.get(URLS.activity, requireUser, activityPages.show);
  routes.get(URLS.data, requireUser, data.show);
  routes.get(URLS.dataExport, requireUser, exportData, data.export);
  routes.get(URLS.deleteAccount, requireUser, deleteAccount, data.showDelete);
  routes.post(URLS.deleteAccount, requireUser, deleteAccount, data.delete);
  routes.get(URLS.lockdown, lockdownPages.show);
  routes.post(URLS.lockdown, lockdownPages.submit);

  return {
    services: { accountDeletion, activity, dataExport, lockdown },
    routes,
    api: accountApi({ accountDeletion, dataExport }),
    tabs: [
      { id: 'activity', path: URLS.activity, labelKey: 'profile.tabs.activity', group: 'security', icon: 'pulse', order: 90 },
      { id: 'data', path: URLS.data, labelKey: 'profile.tabs.data', group: 'data', icon: 'download', order: 100, stepUp: true },
      { id: 'delete', path: URLS.deleteAccount, labelKey: 'profile.tabs.delete', group: 'data', icon: 'trash', order: 110, stepUp: true },
    ],
  } satisfies Feature;
}

export type AccountServices = ReturnType<typeof createAccountFeature>['services'];
