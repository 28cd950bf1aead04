import { Router } from 'express';
import type { Clock } from '../../infra/clock';
import { requireRecentAuth } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { singleUpload } from '../../http/middleware/upload';
import type { createAccountPages } from './account.pages';
import { AVATAR_MAX_BYTES } from './avatar-image';
import type { createEmailLinkPages } from './email-links.pages';
import type { createPasswordPages } from './password.pages';
import type { createPreferencesPages } from './preferences.pages';

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
  const recentAuth = (returnTo: string, keep?: string[]) => requireRecentAuth({ clock, returnTo, keep });

  router.get('/profile', requireUser, (_req, res) => res.redirect(303, '/profile/account'));
  router.get('/profile/account', requireUser, pages.account.show);
  router.post('/profile/account/name', requireUser, pages.account.updateName);
  router.post('/profile/account/email', requireUser, recentAuth('/profile/account', ['email']), pages.account.requestEmailChange);
  router.post('/profile/account/email/cancel', requireUser, pages.account.cancelEmailChange);
  router.post('/profile/account/recovery-email', requireUser, recentAuth('/profile/account', ['recovery_email']), pages.account.setRecoveryEmail);
  router.post('/profile/account/recovery-email/remove', requireUser, recentAuth('/profile/account'), pages.account.removeRecoveryEmail);
  // Its body was read by profileUploads, before the CSRF check.
  router.post('/profile/account/avatar', requireUser, pages.account.uploadAvatar);
  router.post('/profile/account/avatar/remove', requireUser, pages.account.removeAvatar);
  router.get('/profile/password', requireUser, pages.password.show);
  router.post('/profile/password', requireUser, recentAuth('/profile/password'), pages.password.submit);
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
