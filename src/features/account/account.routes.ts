import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import type { createAccountDataPages } from './account-data.pages';
import type { createActivityPages } from './activity.pages';
import type { createLockdownPages } from './lockdown.pages';
import { OPERATIONS as OP } from '../../core/operations';

export function accountRoutes(
  pages: { activity: ReturnType<typeof createActivityPages>; data: ReturnType<typeof createAccountDataPages>; lockdown: ReturnType<typeof createLockdownPages> },
  clock: Clock,
): Router {
  const router = Router();
  const exportData = guardOperation(OP.exportData, { clock, returnTo: '/profile/data' });
  const deleteAccount = guardOperation(OP.deleteAccount, { clock, returnTo: '/profile/delete' });
  router.get('/profile/activity', requireUser, pages.activity.show);
  router.get('/profile/data', requireUser, pages.data.show);
  router.get('/profile/data/export', requireUser, exportData, pages.data.export);
  router.get('/profile/delete', requireUser, deleteAccount, pages.data.showDelete);
  router.post('/profile/delete', requireUser, deleteAccount, pages.data.delete);
  router.get('/not-me/:token', pages.lockdown.show);
  router.post('/not-me/:token', pages.lockdown.submit);
  return router;
}
