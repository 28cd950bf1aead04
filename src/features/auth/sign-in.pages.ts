import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { formHandler, formPage } from '../../http/form';
import { safeNext } from '../../http/paths';
import { contextOf } from '../../http/request-context';
import { signInSchema } from './auth.schemas';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import type { SignInService } from './sign-in.service';
import { URLS } from '../../http/urls';

export function createSignInPages(deps: { signIn: SignInService; complete: SignInCompletion; clock: Clock; baseUrl: URL }) {
  /** `next` arrives in the query on GET and as a hidden field on POST. */
  const nextOf = (req: Request) => safeNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next, deps.baseUrl);
  const view = 'auth/sign-in';
  const locals = (req: Request, res: Response) => ({
    title: res.locals.t('auth.signIn.title'),
    next: nextOf(req),
    signedOut: req.query.signed_out === '1',
    webauthn: true,
  });
  return {
    /** GET /login: the sign-in form, and "Sign in with a passkey". */
    show: formPage({ view, locals }),

    /**
     * POST /login: checks the credentials. With a second factor on, the session only
     * remembers who is half-way in and the person continues at /login/2fa; otherwise a
     * fresh session starts and the person returns to where they were headed.
     */
    submit: formHandler({
      view,
      schema: signInSchema,
      keep: ['identifier'],
      locals,
      handle: async (req, res, input) => {
        const user = await deps.signIn.verifyPassword(input, contextOf(req, res));
        const next = nextOf(req);
        if (user.mfaEnabled) {
          req.session.pendingSignIn = { userId: user.id, at: deps.clock.now().getTime(), next };
          return res.redirect(303, URLS.secondFactor);
        }
        await deps.complete(req, res, user.id, 'password');
        res.redirect(303, next);
      },
    }),
  };
}
