import type { Config } from '../../config';
import { contextOf } from '../../http/request-context';
import { endSession } from '../../http/session';
import type { SignInActivity } from '../sessions/sign-in-activity.service';
import { page } from '../../http/pages';
import { URLS } from '../../http/urls';

export function createSignOutPages(deps: { config: Config; activity: SignInActivity }) {
  return {
    /** POST /logout: destroy the session on the server, clear the cookie and the browser's copies. */
    submit: page(async (req, res) => {
      if (req.user) await deps.activity.signedOut(req.user, contextOf(req, res));
      await endSession(req, res, deps.config);
      res.set('Clear-Site-Data', '"cache", "storage"');
      res.redirect(303, `${URLS.signIn}?signed_out=1`);
    }),
  };
}
