import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { AVATAR_MAX_BYTES } from '../../core/users/avatar-image';
import type { AvatarService } from './avatar.service';
import type { EmailChangeService } from './email-change.service';
import { profileLockOf } from '../../core/account-state/profile-lock';
import { profileFrame } from '../../http/profile-frame';
import { emailChangeSchema, nameSchema, recoveryEmailSchema } from './profile.schemas';
import type { AccountDetailsService } from './account-details.service';
import type { RecoveryEmailService } from './recovery-email.service';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

export interface AccountPagesDeps {
  accountDetails: AccountDetailsService;
  emailChange: EmailChangeService;
  recoveryEmail: RecoveryEmailService;
  avatars: AvatarService;
  config: Config;
  clock: Clock;
  /** Whether the installation's policy makes names, addresses and pictures read-only. */
  profileLocked: () => Promise<boolean>;
}


/** The Account tab: name, username, avatar, primary and recovery email addresses. */
export function createAccountPages(deps: AccountPagesDeps) {
  const view = 'profile/account';
  const locals = async (req: Request, res: Response) => {
    const user = signedInUser(req);
    return {
      ...profileFrame(req, res, deps.clock, 'account'),
      account: {
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        email: user.email,
        emailVerified: user.emailVerifiedAt !== null,
        recoveryEmail: user.recoveryEmail,
        recoveryVerified: user.recoveryEmailVerifiedAt !== null,
      },
      lock: profileLockOf(user, await deps.profileLocked()),
      pendingEmail: await deps.emailChange.pending(user),
      avatarMegabytes: AVATAR_MAX_BYTES / 1024 / 1024,
    };
  };
  const done = (req: Request, res: Response, key: string, params?: Record<string, string>) => {
    flash(req, { type: 'success', key, params });
    res.redirect(303, URLS.account);
  };

  return {
    /** GET /profile/account: the tab, with a form held back for re-authentication filled in again. */
    show: page(async (req, res) => {
      await renderPage(res, view, { ...(await locals(req, res)), values: takePendingForm(req, URLS.account), errors: {} });
    }),

    /** POST /profile/account/name: first and last name. */
    updateName: formHandler({
      view,
      schema: nameSchema,
      keep: ['first_name', 'last_name'],
      locals,
      handle: async (req, res, input) => {
        await deps.accountDetails.updateName(signedInUser(req), input);
        done(req, res, 'profile.name.saved');
      },
    }),

    /** POST /profile/account/email: sends a confirmation link to the new address (nothing changes yet). */
    requestEmailChange: formHandler({
      view,
      schema: emailChangeSchema,
      keep: ['email'],
      locals,
      handle: async (req, res, input) => {
        await deps.emailChange.request(signedInUser(req), input.email, contextOf(req, res));
        done(req, res, 'profile.email.requested', { email: input.email });
      },
    }),

    /** POST /profile/account/email/cancel: forgets a pending change. */
    cancelEmailChange: signedInPage(async (req, res, user) => {
      await deps.emailChange.cancel(user);
      done(req, res, 'profile.email.cancelled');
    }),

    /** POST /profile/account/recovery-email: sets the recovery address and sends it a verification link. */
    setRecoveryEmail: formHandler({
      view,
      schema: recoveryEmailSchema,
      keep: ['recovery_email'],
      locals,
      handle: async (req, res, input) => {
        await deps.recoveryEmail.set(signedInUser(req), input.recovery_email, contextOf(req, res));
        done(req, res, 'profile.recovery.requested', { email: input.recovery_email });
      },
    }),

    /** POST /profile/account/recovery-email/remove: resets go to the primary address again. */
    removeRecoveryEmail: signedInPage(async (req, res, user, ctx) => {
      await deps.recoveryEmail.remove(user, ctx);
      done(req, res, 'profile.recovery.removed');
    }),

    /** POST /profile/account/avatar: one image, cleaned and re-encoded (multipart). */
    uploadAvatar: formHandler({
      view,
      schema: z.object({}),
      keep: [],
      locals,
      handle: async (req, res) => {
        if (req.uploadError) throw req.uploadError;
        if (!req.file) throw ValidationError.field('avatar', 'profile.avatar.errors.required');
        await deps.avatars.upload(signedInUser(req), req.file.buffer);
        done(req, res, 'profile.avatar.saved');
      },
    }),

    /** POST /profile/account/avatar/remove: back to initials. */
    removeAvatar: signedInPage(async (req, res, user) => {
      await deps.avatars.remove(user);
      done(req, res, 'profile.avatar.removed');
    }),
  };
}
