import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import type { EmailVerificationService } from './email-verification.service';
import { linkPage, page } from '../../http/pages';


export function createEmailVerificationPages(deps: { emailVerification: EmailVerificationService }) {
  return {
    /** GET /verify-email/:token: a page with a button; opening the link changes nothing. */
    show: linkPage(async (_req, res, token) => {
      const email = await deps.emailVerification.addressForToken(token);
      await renderPage(res, 'auth/verify-email', { title: res.locals.t('auth.verifyEmail.title'), token: token, email });
    }),

    /** POST /verify-email/:token: marks the address verified, signed in or not. */
    confirm: linkPage(async (req, res, token) => {
      const outcome = await deps.emailVerification.confirm(token);
      if (req.user) {
        flash(req, { type: 'success', key: outcome === 'verified' ? 'auth.verifyEmail.done' : 'auth.verifyEmail.alreadyDone' });
        res.redirect(303, '/');
        return;
      }
      await renderPage(res, 'auth/verify-email-done', { title: res.locals.t('auth.verifyEmail.title'), outcome });
    }),

    /** POST /verify-email: sends the signed-in person a new verification link. */
    resend: page(async (req, res) => {
      const user = req.user;
      if (user) {
        await deps.emailVerification.resend(user);
        flash(req, { type: 'success', key: 'auth.verifyEmail.resent', params: { email: user.email } });
      }
      res.redirect(303, '/');
    }),
  };
}
