import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { singleUpload } from '../../http/middleware/upload';
import type { createAccountPages } from './account.pages';
import { AVATAR_MAX_BYTES } from './avatar-image';
import type { createEmailLinkPages } from './email-links.pages';
import type { createPasswordPages } from '../password/password.pages';
import type { createPreferencesPages } from '../appearance/preferences.pages';
import { OPERATIONS as OP, type Operation } from '../../core/operations';

const avatarUpload = singleUpload('avatar', AVATAR_MAX_BYTES, { tooLarge: 'profile.avatar.errors.tooLarge', unreadable: 'profile.avatar.errors.unreadable' });

/**
 * The only browser route that reads a multipart body. It is mounted before the site-wide
 * CSRF check, which then finds `_csrf` in the parsed form like in any other; the parse is
 * bounded and only for a signed-in person.
 */
export function profileUploads(): Router {
  const router = Router();
  router.post('/profile/account/avatar', requireUser, avatarUpload);
  return router;
}

export function profileRoutes(
  pages: {
    account: ReturnType<typeof createAccountPages>;
    password: ReturnType<typeof createPasswordPages>;
    preferences: ReturnType<typeof createPreferencesPages>;
    emailLinks: ReturnType<typeof createEmailLinkPages>;
  },
  clock: Clock,
): Router {
  const router = Router();
  const guard = (operation: Operation, returnTo: string, keep?: string[]) => guardOperation(operation, { clock, returnTo, keep });

  router.get('/profile', requireUser, (_req, res) => res.redirect(303, '/profile/account'));
  router.get('/profile/account', requireUser, guard(OP.viewProfile, '/profile/account'), pages.account.show);
  router.post('/profile/account/name', requireUser, guard(OP.changeName, '/profile/account'), pages.account.updateName);
  router.post('/profile/account/email', requireUser, guard(OP.changeEmail, '/profile/account', ['email']), pages.account.requestEmailChange);
  router.post('/profile/account/email/cancel', requireUser, pages.account.cancelEmailChange);
  router.post('/profile/account/recovery-email', requireUser, guard(OP.setRecoveryEmail, '/profile/account', ['recovery_email']), pages.account.setRecoveryEmail);
  router.post('/profile/account/recovery-email/remove', requireUser, guard(OP.removeRecoveryEmail, '/profile/account'), pages.account.removeRecoveryEmail);
  // Its body was read by profileUploads, before the CSRF check.
  router.post('/profile/account/avatar', requireUser, guard(OP.uploadAvatar, '/profile/account'), pages.account.uploadAvatar);
  router.post('/profile/account/avatar/remove', requireUser, guard(OP.removeAvatar, '/profile/account'), pages.account.removeAvatar);
  router.get('/profile/password', requireUser, pages.password.show);
  router.post('/profile/password', requireUser, guard(OP.changePassword, '/profile/password'), pages.password.submit);
  router.get('/profile/preferences', requireUser, pages.preferences.show);
  router.post('/profile/preferences', requireUser, pages.preferences.submit);
  router.post('/profile/preferences/notices', requireUser, pages.preferences.saveNotices);

  router.get('/confirm-email/:token', pages.emailLinks.showConfirm);
  router.post('/confirm-email/:token', pages.emailLinks.confirm);
  router.get('/undo-email-change/:token', pages.emailLinks.showUndo);
  router.post('/undo-email-change/:token', pages.emailLinks.undo);
  router.get('/confirm-recovery-email/:token', pages.emailLinks.showRecovery);
  router.post('/confirm-recovery-email/:token', pages.emailLinks.confirmRecovery);
  return router;
}
