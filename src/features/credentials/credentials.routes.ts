import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import type { createAppPasswordsPages } from './app-passwords.pages';
import type { createSshKeysPages } from './ssh-keys.pages';
import type { createTokensPages } from './tokens.pages';
import { OPERATIONS as OP, type Operation } from '../../core/operations';

export function credentialsRoutes(
  pages: { tokens: ReturnType<typeof createTokensPages>; appPasswords: ReturnType<typeof createAppPasswordsPages>; sshKeys: ReturnType<typeof createSshKeysPages> },
  clock: Clock,
): Router {
  const router = Router();
  router.param('id', uuidParam);
  const guard = (operation: Operation, returnTo: string, keep?: string[]) => guardOperation(operation, { clock, returnTo, keep });

  router.get('/profile/tokens', requireUser, guard(OP.listTokens, '/profile/tokens'), pages.tokens.show);
  router.post('/profile/tokens', requireUser, guard(OP.createToken, '/profile/tokens', ['name', 'scope', 'expires', 'expires_on', 'allowed_ips']), pages.tokens.create);
  router.post('/profile/tokens/:id/regenerate', requireUser, guard(OP.regenerateToken, '/profile/tokens'), pages.tokens.regenerate);
  router.post('/profile/tokens/:id/revoke', requireUser, guard(OP.revokeToken, '/profile/tokens'), pages.tokens.revoke);

  router.get('/profile/app-passwords', requireUser, pages.appPasswords.show);
  router.post('/profile/app-passwords', requireUser, guard(OP.createAppPassword, '/profile/app-passwords', ['name', 'scope']), pages.appPasswords.create);
  router.post('/profile/app-passwords/:id/revoke', requireUser, pages.appPasswords.revoke);

  router.get('/profile/keys', requireUser, guard(OP.listSshKeys, '/profile/keys'), pages.sshKeys.show);
  router.post('/profile/keys', requireUser, guard(OP.addSshKey, '/profile/keys', ['title']), pages.sshKeys.add);
  router.post('/profile/keys/:id/delete', requireUser, guard(OP.deleteSshKey, '/profile/keys'), pages.sshKeys.remove);
  router.get('/users/:username.keys', pages.sshKeys.authorizedKeys);
  return router;
}
