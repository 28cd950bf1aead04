import type { Request, Response } from 'express';
import type { Config } from '../../config';
import { ensureDevice } from '../../http/device';
import { formHandler } from '../../http/form';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { setPasswordSchema } from './auth.schemas';
import type { PasswordResetService } from './password-reset.service';
import { linkToken, page } from '../../http/pages';
import { URLS } from '../../http/urls';

/** The token is a path segment: as a secret route parameter, it is cut out of logs and never sent on as a Referer. */

export function createResetPasswordPages(deps: { passwordReset: PasswordResetService; passwordMinLength: number; config: Config }) {
  const view = 'auth/reset-password';
  const locals = async (req: Request, res: Response) => {
    const user = await deps.passwordReset.accountForToken(linkToken(req));
    return {
      title: res.locals.t('auth.setPassword.title'),
      token: linkToken(req),
      username: user.username,
      passwordMinLength: deps.passwordMinLength,
    };
  };
  return {
    /** GET /reset-password/:token: the new-password form, or a page saying the link is no good. */
    show: page(async (req, res) => {
      await renderPage(res, view, { ...(await locals(req, res)), values: {}, errors: {} });
    }),

    /**
     * POST /reset-password/:token: set the password, end every session, send the person to
     * sign in. This browser proved control of the mailbox: it becomes a trusted device, which
     * strangers guessing at the account cannot lock out.
     */
    submit: formHandler({
      view,
      schema: setPasswordSchema,
      keep: [],
      keepPasswords: ['password', 'password_confirm'],
      rules: async (valid, req) => deps.passwordReset.check(await deps.passwordReset.accountForToken(linkToken(req)), valid),
      locals,
      handle: async (req, res, input) => {
        ensureDevice(req, res, deps.config);
        await deps.passwordReset.completeWithToken(linkToken(req), input, contextOf(req, res));
        flash(req, { type: 'success', key: 'auth.setPassword.done' });
        res.redirect(303, URLS.signIn);
      },
    }),
  };
}
