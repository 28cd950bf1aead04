import type { Request, RequestHandler, Response } from 'express';
import { renderPage } from '../../http/render';
import type { Config } from '../../config';
import { formHandler, formPage } from '../../http/form';
import { contextOf } from '../../http/request-context';
import { signUpSchema } from './auth.schemas';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import { SignUpClosedError, type SignUpService } from './sign-up.service';

export function createSignUpPages(deps: { signUp: SignUpService; complete: SignInCompletion; config: Config }) {
  const view = 'auth/sign-up';
  const locals = (_req: Request, res: Response) => ({
    title: res.locals.t('auth.signUp.title'),
    passwordMinLength: deps.config.passwordMinLength,
  });
  const form = formPage({ view, locals });
  return {
    /** GET /signup: the sign-up form, or, while sign-up is closed, that it is. */
    show: (async (req, res, next) => {
      if (await deps.signUp.isOpen()) return form(req, res, next);
      await renderPage(res, 'auth/sign-up-closed', { title: res.locals.t('auth.signUp.title') });
    }) satisfies RequestHandler,

    /** Before the form is read: a closed sign-up refuses every post, whatever it holds. */
    refuseWhenClosed: (async (_req, _res, next) => {
      next((await deps.signUp.isOpen()) ? undefined : new SignUpClosedError());
    }) satisfies RequestHandler,

    /** POST /signup: create the account, sign the person in, greet them on the home page. */
    submit: formHandler({
      view,
      schema: signUpSchema,
      keep: ['first_name', 'last_name', 'email', 'username'],
      keepPasswords: ['password', 'password_confirm'],
      rules: (valid) => deps.signUp.check(valid),
      locals,
      handle: async (req, res, input) => {
        const user = await deps.signUp.signUp(input, contextOf(req, res));
        // No greeting of its own: the home page's notice asking to verify the address says it all.
        await deps.complete(req, res, user.id, 'password', [], { firstDevice: true });
        res.redirect(303, '/');
      },
    }),
  };
}
