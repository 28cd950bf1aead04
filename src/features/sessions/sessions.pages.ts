import type { Clock } from '../../infra/clock';
import type { Places } from '../../infra/geoip';
import { deviceLabel } from '../../infra/user-agent';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { profileFrame } from '../../http/profile-frame';
import type { SessionsService } from './sessions.service';
import { signedInPage } from '../../http/pages';
import { URLS } from '../../http/urls';


/** The Sessions tab of the profile. */
export function createSessionsPages(deps: { sessions: SessionsService; clock: Clock; places: Places }) {
  return {
    /** GET /profile/sessions: every signed-in device, this one first, with its approximate place where GEOIP_DB is set. */
    show: signedInPage(async (req, res, user, ctx) => {
      const sessions = (await deps.sessions.list(user.id, ctx.sessionId)).map((s) => ({ ...s, label: deviceLabel(s.device), place: deps.places.placeOf(s.ip, ctx.locale) }));
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
