import type { Request, Response } from 'express';
import { formHandler, formPage } from '../../http/form';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { forgotPasswordSchema } from './auth.schemas';
import type { PasswordResetService } from './password-reset.service';

/** `directory`: an LDAP directory is configured (with LDAP_PASSWORD_CHANGE_URL, if set); its people are told where their password changes. */
export function createForgotPasswordPages(deps: { passwordReset: PasswordResetService; tokenHours: number; directory?: { passwordChangeUrl?: string } }) {
  const view = 'auth/forgot-password';
  const locals = (_req: Request, res: Response) => ({ title: res.locals.t('auth.forgotPassword.title'), directory: deps.directory });
  return {
    /** GET /forgot-password: asks for the email address. */
    show: formPage({ view, locals }),

    /** POST /forgot-password: queues a reset link and answers the same whether or not the address has an account. */
    submit: formHandler({
      view,
      schema: forgotPasswordSchema,
      keep: ['email'],
      locals,
      handle: async (req, res, input) => {
        await deps.passwordReset.requestReset(input, contextOf(req, res));
        await renderPage(res, 'auth/forgot-password-sent', { ...locals(req, res), email: input.email, hours: deps.tokenHours });
      },
    }),
  };
}
