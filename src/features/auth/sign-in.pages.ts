import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { SessionsService } from '../sessions/sessions.service';
import { formHandler, formPage } from '../../http/form';
import { safeNext } from '../../http/paths';
import { contextOf } from '../../http/request-context';
import { startSignedInSession } from '../../http/session';
import type { Translator } from '../../infra/i18n';
import { signInSchema } from './auth.schemas';
import type { SignInService } from './sign-in.service';

/** `next` arrives in the query on GET and as a hidden field on POST. */
function nextOf(req: Request): string {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.next;
  return safeNext(fromBody ?? req.query.next);
}

export function createSignInPages(deps: { signIn: SignInService; sessions: SessionsService; config: Config; clock: Clock }) {
  const view = 'auth/sign-in';
  const locals = (req: Request, res: Response) => ({
    title: (res.locals.t as Translator)('auth.signIn.title'),
    next: nextOf(req),
    signedOut: req.query.signed_out === '1',
  });
  return {
    /** GET /login: the sign-in form. */
    show: formPage({ view, locals }),

    /** POST /login: check the credentials, start a fresh session, return to where the person was headed. */
    submit: formHandler({
      view,
      schema: signInSchema,
      keep: ['identifier'],
      locals,
      handle: async (req, res, input) => {
        const user = await deps.signIn.verifyPassword(input, contextOf(req, res));
        const next = nextOf(req);
        await startSignedInSession(req, res, { userId: user.id, method: 'password', clock: deps.clock, config: deps.config, enforceLimit: deps.sessions.enforceLimit });
        res.redirect(303, next);
      },
    }),
  };
}
