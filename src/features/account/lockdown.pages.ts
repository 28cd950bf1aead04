import type { Config } from '../../config';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { continueSignedOut } from '../../http/session';
import type { LockdownService } from './lockdown.service';
import { linkPage } from '../../http/pages';


/** The page behind "This wasn't me": opening it changes nothing; its button locks the account down. */
export function createLockdownPages(deps: { lockdown: LockdownService; config: Config }) {
  return {
    /** GET /not-me/:token */
    show: linkPage(async (_req, res, token) => {
      const { username } = await deps.lockdown.describe(token);
      await renderPage(res, 'account/lockdown', { title: res.locals.t('lockdown.title'), username, token: token });
    }),

    /** POST /not-me/:token: ends every session (this browser's too), revokes tokens, mails a reset link. */
    submit: linkPage(async (req, res, token) => {
      const { address } = await deps.lockdown.lockDown(token, contextOf(req, res));
      if (req.user) await continueSignedOut(req, res, deps.config);
      await renderPage(res, 'account/lockdown-done', { title: res.locals.t('lockdown.doneTitle'), address });
    }),
  };
}
