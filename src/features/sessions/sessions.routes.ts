import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { requireRecentAuth } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import type { createReauthPages } from './reauth.pages';
import type { createSessionsPages } from './sessions.pages';

export function sessionsRoutes(pages: { reauth: ReturnType<typeof createReauthPages>; sessions: ReturnType<typeof createSessionsPages> }, clock: Clock): Router {
  const router = Router();
  const recentAuth = requireRecentAuth({ clock, returnTo: '/profile/sessions' });
  router.get('/profile/sessions', requireUser, pages.sessions.show);
  router.post('/profile/sessions/revoke-others', requireUser, recentAuth, pages.sessions.revokeOthers);
  router.post('/profile/sessions/:id/revoke', requireUser, recentAuth, pages.sessions.revoke);
  router.get('/reauth', requireUser, pages.reauth.show);
  router.post('/reauth', requireUser, pages.reauth.submit);
  router.post('/reauth/drop', requireUser, pages.reauth.drop);
  router.post('/reauth/passkey/options', requireUser, pages.reauth.passkeyOptions);
  router.post('/reauth/passkey', requireUser, pages.reauth.passkeyVerify);
  return router;
}
