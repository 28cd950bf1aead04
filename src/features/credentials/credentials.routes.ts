import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { requireRecentAuth } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import type { createAppPasswordsPages } from './app-passwords.pages';
import type { createSshKeysPages } from './ssh-keys.pages';
import type { createTokensPages } from './tokens.pages';

export function credentialsRoutes(
  pages: { tokens: ReturnType<typeof createTokensPages>; appPasswords: ReturnType<typeof createAppPasswordsPages>; sshKeys: ReturnType<typeof createSshKeysPages> },
  clock: Clock,
): Router {
  const router = Router();
  router.param('id', uuidParam);
  const recentAuth = (returnTo: string, keep?: string[]) => requireRecentAuth({ clock, returnTo, keep });

  router.get('/profile/tokens', requireUser, pages.tokens.show);
  router.post('/profile/tokens', requireUser, recentAuth('/profile/tokens', ['name', 'scope', 'expires', 'expires_on', 'allowed_ips']), pages.tokens.create);
  router.post('/profile/tokens/:id/regenerate', requireUser, recentAuth('/profile/tokens'), pages.tokens.regenerate);
  router.post('/profile/tokens/:id/revoke', requireUser, pages.tokens.revoke);

  router.get('/profile/app-passwords', requireUser, pages.appPasswords.show);
  router.post('/profile/app-passwords', requireUser, recentAuth('/profile/app-passwords', ['name', 'scope']), pages.appPasswords.create);
  router.post('/profile/app-passwords/:id/revoke', requireUser, pages.appPasswords.revoke);

  router.get('/profile/keys', requireUser, pages.sshKeys.show);
  router.post('/profile/keys', requireUser, recentAuth('/profile/keys', ['title']), pages.sshKeys.add);
  router.post('/profile/keys/:id/delete', requireUser, recentAuth('/profile/keys'), pages.sshKeys.remove);
  router.get('/users/:username.keys', pages.sshKeys.authorizedKeys);
  return router;
}
