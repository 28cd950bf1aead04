import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import type { createMfaSignInPages } from './mfa-sign-in.pages';
import type { createSecurityPages } from './security.pages';
import { OPERATIONS as OP, type Operation } from '../../core/operations';

export function mfaRoutes(pages: { signIn: ReturnType<typeof createMfaSignInPages>; security: ReturnType<typeof createSecurityPages> }, clock: Clock): Router {
  const router = Router();
  router.param('id', uuidParam);
  const guard = (operation: Operation, returnTo = '/profile/security') => guardOperation(operation, { clock, returnTo });

  router.get('/login/2fa', pages.signIn.show);
  router.post('/login/2fa', pages.signIn.submit);
  router.post('/login/2fa/passkey/options', pages.signIn.secondFactorOptions);
  router.post('/login/2fa/passkey', pages.signIn.secondFactorVerify);
  router.post('/login/passkey/options', pages.signIn.passkeyOptions);
  router.post('/login/passkey', pages.signIn.passkeyVerify);

  router.get('/profile/security', requireUser, pages.security.show);
  router.get('/profile/security/totp', requireUser, guard(OP.setUpAuthenticatorApp, '/profile/security/totp'), pages.security.showTotpSetup);
  router.post('/profile/security/totp', requireUser, guard(OP.setUpAuthenticatorApp, '/profile/security/totp'), pages.security.enableTotp);
  router.post('/profile/security/totp/disable', requireUser, guard(OP.turnOffAuthenticatorApp), pages.security.disableTotp);
  router.post('/profile/security/recovery-codes', requireUser, guard(OP.regenerateRecoveryCodes), pages.security.regenerateCodes);
  router.get('/profile/security/recovery-codes', requireUser, pages.security.showCodes);
  router.get('/profile/security/recovery-codes.txt', requireUser, pages.security.downloadCodes);
  router.post('/profile/security/recovery-codes/saved', requireUser, pages.security.acknowledgeCodes);
  router.post('/profile/security/passkeys/options', requireUser, guard(OP.addPasskey), pages.security.passkeyOptions);
  router.post('/profile/security/passkeys', requireUser, guard(OP.addPasskey), pages.security.registerPasskey);
  router.post('/profile/security/passkeys/:id/rename', requireUser, pages.security.renamePasskey);
  router.post('/profile/security/passkeys/:id/remove', requireUser, guard(OP.removePasskey), pages.security.removePasskey);
  return router;
}
