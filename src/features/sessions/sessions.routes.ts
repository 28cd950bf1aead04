import { Router } from 'express';
import { requireUser } from '../../http/middleware/require-user';
import type { createReauthPages } from './reauth.pages';

export function sessionsRoutes(pages: { reauth: ReturnType<typeof createReauthPages> }): Router {
  const router = Router();
  router.get('/reauth', requireUser, pages.reauth.show);
  router.post('/reauth', requireUser, pages.reauth.submit);
  router.post('/reauth/drop', requireUser, pages.reauth.drop);
  return router;
}
