import type { Clock } from '../../infra/clock';
import { signedInPage } from '../../http/pages';
import { profileFrame } from '../../http/profile-frame';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { URLS } from '../../http/urls';
import type { ConnectedAppsService } from './connected-apps.service';
import { scopeDescriptions } from './provider-scopes';

/** The Connected apps tab: the applications the person allowed, and taking that back. */
export function createConnectedAppsPages(deps: { connectedApps: ConnectedAppsService; clock: Clock }) {
  return {
    /** GET /profile/apps */
    show: signedInPage(async (req, res, user) => {
      const apps = await deps.connectedApps.list(user);
      await renderPage(res, 'provider/apps', {
        ...profileFrame(req, res, deps.clock, 'apps'),
        now: deps.clock.now(),
        apps: apps.map((app) => ({ ...app, scopeLines: scopeDescriptions(app.scopes) })),
      });
    }),

    /** POST /profile/apps/:client/revoke: ends the application's grant and every token issued under it. */
    revoke: signedInPage(async (req, res, user, ctx) => {
      const { name } = await deps.connectedApps.revoke(user, String(req.params.client), ctx);
      flash(req, { type: 'success', key: 'provider.apps.revoked', params: { name } });
      res.redirect(303, URLS.connectedApps);
    }),
  };
}
