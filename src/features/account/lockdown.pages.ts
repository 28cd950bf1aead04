import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config';
import type { Translator } from '../../infra/i18n';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { continueSignedOut } from '../../http/session';
import type { LockdownService } from './lockdown.service';

const tokenOf = (req: Request) => String(req.params.token ?? '');

/** The page behind "This wasn't me": opening it changes nothing; its button locks the account down. */
export function createLockdownPages(deps: { lockdown: LockdownService; config: Config }) {
  return {
    /** GET /not-me/:token */
    show: (async (req, res) => {
      const { username } = await deps.lockdown.describe(tokenOf(req));
      await renderPage(res, 'account/lockdown', { title: (res.locals.t as Translator)('lockdown.title'), username, token: tokenOf(req) });
    }) as RequestHandler,

    /** POST /not-me/:token: ends every session (this browser's too), revokes tokens, mails a reset link. */
    submit: (async (req, res) => {
      const { address } = await deps.lockdown.lockDown(tokenOf(req), contextOf(req, res));
      if (req.user) await continueSignedOut(req, res, deps.config);
      await renderPage(res, 'account/lockdown-done', { title: (res.locals.t as Translator)('lockdown.doneTitle'), address });
    }) as RequestHandler,
  };
}
