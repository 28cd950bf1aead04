import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import type { User } from '../../core/users/user';
import { AVATAR_MAX_BYTES } from './avatar-image';
import type { AvatarService } from './avatar.service';
import type { EmailChangeService } from './email-change.service';
import { profileLockOf } from '../../core/account-state/profile-lock';
import { profileFrame } from '../../http/profile-frame';
import { emailChangeSchema, nameSchema, recoveryEmailSchema } from './profile.schemas';
import type { AccountDetailsService } from './account-details.service';
import type { RecoveryEmailService } from './recovery-email.service';

export interface AccountPagesDeps {
  accountDetails: AccountDetailsService;
  emailChange: EmailChangeService;
  recoveryEmail: RecoveryEmailService;
  avatars: AvatarService;
  config: Config;
  clock: Clock;
}

const ACCOUNT = '/profile/account';
const userOf = (req: Request) => req.user as User;

/** The Account tab: name, username, avatar, primary and recovery email addresses. */
export function createAccountPages(deps: AccountPagesDeps) {
  const view = 'profile/account';
  const locals = async (req: Request, res: Response) => {
    const user = userOf(req);
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
      lock: profileLockOf(user, deps.config.profileLocked),
      pendingEmail: await deps.emailChange.pending(user),
      avatarMegabytes: AVATAR_MAX_BYTES / 1024 / 1024,
    };
  };
  const done = (req: Request, res: Response, key: string, params?: Record<string, string>) => {
    flash(req, { type: 'success', key, params });
    res.redirect(303, ACCOUNT);
  };

  return {
    /** GET /profile/account: the tab, with a form held back for re-authentication filled in again. */
    show: (async (req, res) => {
      await renderPage(res, view, { ...(await locals(req, res)), values: takePendingForm(req, ACCOUNT), errors: {} });
    }) as RequestHandler,

    /** POST /profile/account/name: first and last name. */
    updateName: formHandler({
      view,
      schema: nameSchema,
      keep: ['first_name', 'last_name'],
      locals,
      handle: async (req, res, input) => {
        await deps.accountDetails.updateName(userOf(req), input);
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
        await deps.emailChange.request(userOf(req), input.email, contextOf(req, res));
        done(req, res, 'profile.email.requested', { email: input.email });
      },
    }),

    /** POST /profile/account/email/cancel: forgets a pending change. */
    cancelEmailChange: (async (req, res) => {
      await deps.emailChange.cancel(userOf(req));
      done(req, res, 'profile.email.cancelled');
    }) as RequestHandler,

    /** POST /profile/account/recovery-email: sets the recovery address and sends it a verification link. */
    setRecoveryEmail: formHandler({
      view,
      schema: recoveryEmailSchema,
      keep: ['recovery_email'],
      locals,
      handle: async (req, res, input) => {
        await deps.recoveryEmail.set(userOf(req), input.recovery_email, contextOf(req, res));
        done(req, res, 'profile.recovery.requested', { email: input.recovery_email });
      },
    }),

    /** POST /profile/account/recovery-email/remove: resets go to the primary address again. */
    removeRecoveryEmail: (async (req, res) => {
      await deps.recoveryEmail.remove(userOf(req), contextOf(req, res));
      done(req, res, 'profile.recovery.removed');
    }) as RequestHandler,

    /** POST /profile/account/avatar: one image, cleaned and re-encoded (multipart). */
    uploadAvatar: formHandler({
      view,
      schema: z.object({}),
      keep: [],
      locals,
      handle: async (req, res) => {
        if (req.uploadError) throw req.uploadError;
        if (!req.file) throw ValidationError.field('avatar', 'profile.avatar.errors.required');
        await deps.avatars.upload(userOf(req), req.file.buffer);
        done(req, res, 'profile.avatar.saved');
      },
    }),

    /** POST /profile/account/avatar/remove: back to initials. */
    removeAvatar: (async (req, res) => {
      await deps.avatars.remove(userOf(req));
      done(req, res, 'profile.avatar.removed');
    }) as RequestHandler,
  };
}
