import type { Clock } from '../../infra/clock';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { profileFrame } from '../../http/profile-frame';
import type { SessionsService } from './sessions.service';
import { signedInPage } from '../../http/pages';
import { URLS } from '../../http/urls';


/** The Sessions tab of the profile. */
export function createSessionsPages(deps: { sessions: SessionsService; clock: Clock }) {
  return {
    /** GET /profile/sessions: every signed-in device, this one first. */
    show: signedInPage(async (req, res, user, ctx) => {
      const sessions = await deps.sessions.list(user.id, ctx.sessionId);
      await renderPage(res, 'sessions/sessions', { ...profileFrame(req, res, deps.clock, 'sessions'), sessions, now: deps.clock.now() });
    }),

    /** POST /profile/sessions/:id/revoke: signs out one other device. */
    revoke: signedInPage(async (req, res, user, ctx) => {
      await deps.sessions.revoke(user, String(req.params.id), ctx);
      flash(req, { type: 'success', key: 'sessions.revoked' });
      res.redirect(303, URLS.sessions);
    }),

    /** POST /profile/sessions/revoke-others: signs out every device but this one. */
    revokeOthers: signedInPage(async (req, res, user, ctx) => {
      const count = await deps.sessions.revokeOthers(user, ctx);
      flash(req, { type: 'success', key: 'sessions.revokedOthers', count });
      res.redirect(303, URLS.sessions);
    }),
  };
}
