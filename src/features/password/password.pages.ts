import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { formHandler, formPage } from '../../http/form';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { continueSignedOut, flash } from '../../http/session';
import type { PasswordChangeService } from './password-change.service';
import { passwordChangeSchema } from './password.schemas';
import { profileFrame } from '../../http/profile-frame';
import { signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

/** The Password tab. */
export function createPasswordPages(deps: { passwordChange: PasswordChangeService; clock: Clock; config: Config }) {
  const view = 'password/password';
  const locals = (req: Request, res: Response) => ({
    ...profileFrame(req, res, deps.clock, 'password'),
    passwordMinLength: deps.config.passwordMinLength,
    passwordChangedAt: signedInUser(req).passwordChangedAt,
    hasPassword: signedInUser(req).passwordHash !== null,
    inDirectory: signedInUser(req).source === 'ldap',
    directoryPasswordUrl: deps.config.directory?.passwordChangeUrl,
  });
  return {
    /** GET /profile/password: the change-password form, or for an account without a password, the offer to set one. */
    show: formPage({ view, locals }),

    /**
     * POST /profile/password, before the form: a directory account is told where its
     * password changes (403), an account without a password how to set one (409), whatever it sent.
     */
    refuseWithoutPassword: (async (req, res, next) => {
      const refused = deps.passwordChange.refusal(signedInUser(req));
      if (!refused) return next();
      await renderPage(res, view, { ...locals(req, res), values: {}, errors: { _form: { key: refused.messageKey } } }, refused.status);
    }) satisfies RequestHandler,

    /** POST /profile/password: changes it; every session ends, this one too, and the person signs in again. */
    submit: formHandler({
      view,
      schema: passwordChangeSchema,
      keep: [],
      keepPasswords: ['password', 'password_confirm'],
      rules: (valid, req) => deps.passwordChange.check(signedInUser(req), valid),
      locals,
      handle: async (req, res, input) => {
        await deps.passwordChange.change(signedInUser(req), input, contextOf(req, res));
        await continueSignedOut(req, res, deps.config);
        flash(req, { type: 'success', key: 'profile.password.changed' });
        res.redirect(303, URLS.signIn);
      },
    }),
  };
}
