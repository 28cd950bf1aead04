import type { Request, RequestHandler } from 'express';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import type { Translator } from '../../infra/i18n';
import type { EmailVerificationService } from './email-verification.service';

const tokenOf = (req: Request) => String(req.params.token ?? '');

export function createEmailVerificationPages(deps: { emailVerification: EmailVerificationService }) {
  return {
    /** GET /verify-email/:token: a page with a button; opening the link changes nothing. */
    show: (async (req, res) => {
      const email = await deps.emailVerification.addressForToken(tokenOf(req));
      await renderPage(res, 'auth/verify-email', { title: (res.locals.t as Translator)('auth.verifyEmail.title'), token: tokenOf(req), email });
    }) as RequestHandler,

    /** POST /verify-email/:token: marks the address verified, signed in or not. */
    confirm: (async (req, res) => {
      const outcome = await deps.emailVerification.confirm(tokenOf(req));
      if (req.user) {
        flash(req, { type: 'success', key: outcome === 'verified' ? 'auth.verifyEmail.done' : 'auth.verifyEmail.alreadyDone' });
        res.redirect(303, '/');
        return;
      }
      await renderPage(res, 'auth/verify-email-done', { title: (res.locals.t as Translator)('auth.verifyEmail.title'), outcome });
    }) as RequestHandler,

    /** POST /verify-email: sends the signed-in person a new verification link. */
    resend: (async (req, res) => {
      const user = req.user;
      if (user) {
        await deps.emailVerification.resend(user);
        flash(req, { type: 'success', key: 'auth.verifyEmail.resent', params: { email: user.email } });
      }
      res.redirect(303, '/');
    }) as RequestHandler,
  };
}
