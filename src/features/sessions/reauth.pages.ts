import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { formHandler, formPage } from '../../http/form';
import { safeNext } from '../../http/paths';
import { contextOf } from '../../http/request-context';
import { flash, rotateSession } from '../../http/session';
import type { Translator } from '../../infra/i18n';
import type { User } from '../users/user';
import { reauthSchema } from './reauth.schemas';
import type { ReauthService } from './reauth.service';

const nextOf = (req: Request) => safeNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next, '/profile');

export function createReauthPages(deps: { reauth: ReauthService; config: Config; clock: Clock }) {
  const view = 'sessions/reauth';
  const locals = (req: Request, res: Response) => ({ title: (res.locals.t as Translator)('reauth.title'), next: nextOf(req), minutes: deps.config.reauthMs / 60_000 });
  return {
    /** GET /reauth: asks for the password before a sensitive change. */
    show: formPage({ view, locals }),

    /** POST /reauth: checks the password, gives the session a new id and a fresh step-up window, goes back. */
    submit: formHandler({
      view,
      schema: reauthSchema,
      keep: [],
      locals,
      handle: async (req, res, input) => {
        await deps.reauth.confirmPassword(req.user as User, input.password, contextOf(req, res));
        const now = deps.clock.now().getTime();
        await rotateSession(req, { lastAuthAt: now, elevatedUntil: now + deps.config.reauthMs, lastSeenAt: now });
        flash(req, { type: 'success', key: 'reauth.confirmed' });
        res.redirect(303, nextOf(req));
      },
    }),

    /** POST /reauth/drop: ends the step-up window now. */
    drop: (async (req, res) => {
      await rotateSession(req, { elevatedUntil: 0 });
      flash(req, { type: 'info', key: 'reauth.dropped' });
      res.redirect(303, nextOf(req));
    }) as RequestHandler,
  };
}
