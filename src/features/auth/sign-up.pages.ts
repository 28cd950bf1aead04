import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { SessionsService } from '../sessions/sessions.service';
import { formHandler, formPage } from '../../http/form';
import { contextOf } from '../../http/request-context';
import { startSignedInSession } from '../../http/session';
import type { Translator } from '../../infra/i18n';
import { signUpSchema } from './auth.schemas';
import type { SignUpService } from './sign-up.service';

export function createSignUpPages(deps: { signUp: SignUpService; sessions: SessionsService; config: Config; clock: Clock }) {
  const view = 'auth/sign-up';
  const locals = (_req: unknown, res: { locals: Record<string, unknown> }) => ({
    title: (res.locals.t as Translator)('auth.signUp.title'),
    passwordMinLength: deps.config.passwordMinLength,
  });
  return {
    /** GET /signup: the sign-up form. */
    show: formPage({ view, locals }),

    /** POST /signup: create the account, sign the person in, greet them on the home page. */
    submit: formHandler({
      view,
      schema: signUpSchema,
      keep: ['first_name', 'last_name', 'email', 'username'],
      locals,
      handle: async (req, res, input) => {
        const user = await deps.signUp.signUp(input, contextOf(req, res));
        await startSignedInSession(req, res, {
          userId: user.id,
          method: 'password',
          clock: deps.clock,
          config: deps.config,
          enforceLimit: deps.sessions.enforceLimit,
          carry: { flash: [{ type: 'success', key: 'auth.signUp.welcome', params: { email: user.email } }] },
        });
        res.redirect(303, '/');
      },
    }),
  };
}
