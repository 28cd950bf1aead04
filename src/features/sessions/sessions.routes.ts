import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import type { createReauthPages } from '../auth/reauth.pages';
import type { createSessionsPages } from './sessions.pages';
import { OPERATIONS as OP, type Operation } from '../../core/operations';

export function sessionsRoutes(pages: { reauth: ReturnType<typeof createReauthPages>; sessions: ReturnType<typeof createSessionsPages> }, clock: Clock): Router {
  const router = Router();
  const guard = (operation: Operation) => guardOperation(operation, { clock, returnTo: '/profile/sessions' });
  router.get('/profile/sessions', requireUser, guard(OP.listSessions), pages.sessions.show);
  router.post('/profile/sessions/revoke-others', requireUser, guard(OP.revokeOtherSessions), pages.sessions.revokeOthers);
  router.post('/profile/sessions/:id/revoke', requireUser, guard(OP.revokeSession), pages.sessions.revoke);
  router.get('/reauth', requireUser, pages.reauth.show);
  router.post('/reauth', requireUser, pages.reauth.submit);
  router.post('/reauth/drop', requireUser, pages.reauth.drop);
  router.post('/reauth/passkey/options', requireUser, pages.reauth.passkeyOptions);
  router.post('/reauth/passkey', requireUser, pages.reauth.passkeyVerify);
  return router;
}
