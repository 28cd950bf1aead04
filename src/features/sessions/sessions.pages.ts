import type { Request, RequestHandler } from 'express';
import type { Clock } from '../../infra/clock';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import type { User } from '../../core/users/user';
import { profileFrame } from '../../http/profile-frame';
import type { SessionsService } from './sessions.service';

const userOf = (req: Request) => req.user as User;

/** The Sessions tab of the profile. */
export function createSessionsPages(deps: { sessions: SessionsService; clock: Clock }) {
  return {
    /** GET /profile/sessions: every signed-in device, this one first. */
    show: (async (req, res) => {
      const sessions = await deps.sessions.list(userOf(req).id, req.sessionID);
      await renderPage(res, 'profile/sessions', { ...profileFrame(req, res, deps.clock, 'sessions'), sessions, now: deps.clock.now() });
    }) as RequestHandler,

    /** POST /profile/sessions/:id/revoke: signs out one other device. */
    revoke: (async (req, res) => {
      await deps.sessions.revoke(userOf(req), String(req.params.id), req.sessionID, contextOf(req, res));
      flash(req, { type: 'success', key: 'sessions.revoked' });
      res.redirect(303, '/profile/sessions');
    }) as RequestHandler,

    /** POST /profile/sessions/revoke-others: signs out every device but this one. */
    revokeOthers: (async (req, res) => {
      const count = await deps.sessions.revokeOthers(userOf(req), req.sessionID, contextOf(req, res));
      flash(req, { type: 'success', key: 'sessions.revokedOthers', count });
      res.redirect(303, '/profile/sessions');
    }) as RequestHandler,
  };
}
