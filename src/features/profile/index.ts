import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP, type Operation } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { singleUpload } from '../../http/middleware/upload';
import { URLS } from '../../http/urls';
import { createAccountDetailsService } from './account-details.service';
import { createAccountPages } from './account-details.pages';
import { avatarFileRoutes } from './avatar-files.routes';
import { AVATAR_MAX_BYTES } from '../../core/users/avatar-image';
import { createAvatarService } from './avatar.service';
import { createEmailChangeService } from './email-change.service';
import { createEmailLinkPages } from './email-links.pages';
import { profileApi } from './profile.api';
import { createRecoveryEmailService } from './recovery-email.service';

type Deps = CoreDeps & {
  repos: Parameters<typeof createAccountDetailsService>[0]['repos'] &
    Parameters<typeof createEmailChangeService>[0]['repos'] &
    Parameters<typeof createRecoveryEmailService>[0]['repos'] &
    Parameters<typeof createAvatarService>[0]['repos'];
};

const avatarUpload = singleUpload('avatar', AVATAR_MAX_BYTES, { tooLarge: 'profile.avatar.errors.tooLarge', unreadable: 'profile.avatar.errors.unreadable' });

/** The Account tab: names, the email address and its recovery address, the avatar; and the links mailed for them. */
export function createProfileFeature(deps: Deps) {
  const { config, clock, repos, mail, links, notices } = deps;
  const profileLocked = deps.policies.profileLocked;
  const tokenLifetimeMs = config.resetTokenMs;
  const oneTimeLinks = deps.oneTimeLinks;
  const accountDetails = createAccountDetailsService({ repos, clock, profileLocked });
  const emailChange = createEmailChangeService({ repos, oneTimeLinks, mail, links, sessions: deps.sessionRegistry, clock, tokenLifetimeMs, profileLocked, notices });
  const recoveryEmail = createRecoveryEmailService({ repos, oneTimeLinks, mail, links, clock, tokenLifetimeMs, profileLocked, notices });
  const avatars = createAvatarService({ repos, clock, profileLocked, limiter: deps.limiters(deps.limits.avatarAccount) });

  const account = createAccountPages({ accountDetails, emailChange, recoveryEmail, avatars, config, clock, profileLocked });
  const emailLinks = createEmailLinkPages({ emailChange, recoveryEmail, config });
  const guard = (operation: Operation, keep?: string[]) => guardOperation(operation, { clock, returnTo: URLS.account, keep });
  const routes = Router();
  routes.get(URLS.profile, requireUser, (_req, res) => res.redirect(303, URLS.account));
  routes.get(URLS.account, requireUser, guard(OP.viewProfile), account.show);
  routes.post(URLS.accountName, requireUser, guard(OP.changeName), account.updateName);
  routes.post(URLS.accountEmail, requireUser, guard(OP.changeEmail, ['email']), account.requestEmailChange);
  routes.post(URLS.accountEmailCancel, requireUser, account.cancelEmailChange);
  routes.post(URLS.accountRecoveryEmail, requireUser, guard(OP.setRecoveryEmail, ['recovery_email']), account.setRecoveryEmail);
  routes.post(URLS.accountRecoveryEmailRemove, requireUser, guard(OP.removeRecoveryEmail), account.removeRecoveryEmail);
  // Its body was read by uploadRoutes, before the CSRF check.
  routes.post(URLS.accountAvatar, requireUser, guard(OP.uploadAvatar), account.uploadAvatar);
  routes.post(URLS.accountAvatarRemove, requireUser, guard(OP.removeAvatar), account.removeAvatar);
  routes.get(URLS.confirmEmailChange, emailLinks.showConfirm);
  routes.post(URLS.confirmEmailChange, emailLinks.confirm);
  routes.get(URLS.undoEmailChange, emailLinks.showUndo);
  routes.post(URLS.undoEmailChange, emailLinks.undo);
  routes.get(URLS.confirmRecoveryEmail, emailLinks.showRecovery);
  routes.post(URLS.confirmRecoveryEmail, emailLinks.confirmRecovery);

  /**
   * The only browser route that reads a multipart body. It is mounted before the site-wide
   * CSRF check, which then finds `_csrf` in the parsed form like in any other; the parse is
   * bounded and only for a signed-in person.
   */
  const uploadRoutes = Router();
  uploadRoutes.post(URLS.accountAvatar, requireUser, avatarUpload);

  return {
    services: { accountDetails, emailChange, recoveryEmail, avatars },
    publicRoutes: avatarFileRoutes(avatars),
    uploadRoutes,
    routes,
    api: profileApi({ accountDetails, emailChange, avatars, baseUrl: config.baseUrl }),
    tabs: [{ id: 'account', path: URLS.account, labelKey: 'profile.tabs.account', group: 'profile', icon: 'person', order: 10, stepUp: true }],
  } satisfies Feature;
}

export type ProfileServices = ReturnType<typeof createProfileFeature>['services'];
