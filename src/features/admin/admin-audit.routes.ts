import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { OPERATIONS as OP } from '../../core/operations';
import type { Repos } from '../../core/repos';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { URLS } from '../../http/urls';
import { requireAdmin } from './admin-access';
import type { AdminAuditRepository } from './admin-audit.repository';
import { createAdminAuditPages } from './admin-audit.pages';
import { createAdminAuditService } from './admin-audit.service';
import { adminAuditApi } from './admin-audit.api';

/** The console's audit log: its service, its page and exports, and its API endpoint. */
export function createAdminAuditSection(deps: { repos: Repos<{ adminAudit: AdminAuditRepository }>; clock: Clock }) {
  const audit = createAdminAuditService({ repos: deps.repos });
  const pages = createAdminAuditPages({ audit, clock: deps.clock });
  const view = guardOperation(OP.adminViewAudit, { clock: deps.clock, returnTo: URLS.adminAudit });
  const routes = Router();
  routes.get(URLS.adminAudit, requireAdmin, view, pages.show);
  routes.get(URLS.adminAuditCsv, requireAdmin, view, pages.csv);
  routes.get(URLS.adminAuditJson, requireAdmin, view, pages.json);
  return { audit, routes, api: adminAuditApi({ audit }) };
}
