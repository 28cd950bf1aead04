import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { signedInPage, signedInUser } from '../../http/pages';
import { profileFrame } from '../../http/profile-frame';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { URLS } from '../../http/urls';
import { hasPassword } from '../../core/users/user';
import { LastWayInError, PasswordAlreadySetError, type ConnectionsService } from './connections.service';

/** The tabs that offer the set-password link; the answer goes back to the one it was asked from. */
const SET_PASSWORD_RETURNS: readonly string[] = [URLS.connections, URLS.password];

/** The Connections tab: connected identities, connecting and disconnecting them, and a first password by mail. */
export function createConnectionsPages(deps: { connections: ConnectionsService; clock: Clock }) {
  const view = 'identities/connections';
  const locals = async (req: Request, res: Response) => {
    const user = signedInUser(req);
    return {
      ...profileFrame(req, res, deps.clock, 'connections'),
      now: deps.clock.now(),
      hasPassword: hasPassword(user),
      ...(await deps.connections.list(user)),
    };
  };

  /** The tab again with the refusal at the top (409): it shows what to do instead. */
  const refuse = async (req: Request, res: Response, error: LastWayInError | PasswordAlreadySetError) => {
    await renderPage(res, view, { ...(await locals(req, res)), errors: { _form: { key: error.messageKey, params: error.params } } }, error.status);
  };

  return {
    /** GET /profile/connections */
    show: signedInPage(async (req, res) => {
      await renderPage(res, view, { ...(await locals(req, res)), errors: {} });
    }),

    /** POST /profile/connections/:id/remove: disconnects one identity, never the account's last way in. */
    remove: signedInPage(async (req, res, user, ctx) => {
      try {
        const removed = await deps.connections.disconnect(user, String(req.params.id), ctx);
        flash(req, { type: 'success', key: 'identities.disconnected', params: { provider: removed.providerName } });
        res.redirect(303, URLS.connections);
      } catch (error) {
        if (!(error instanceof LastWayInError)) throw error;
        await refuse(req, res, error);
      }
    }),

    /** POST /profile/connections/set-password: mails an account without a password a link to choose one. */
    sendSetPasswordLink: signedInPage(async (req, res, user, ctx) => {
      try {
        const to = await deps.connections.sendSetPasswordLink(user, ctx);
        const next = (req.body as Record<string, unknown> | undefined)?.next;
        flash(req, { type: 'success', key: 'identities.setPassword.sent', params: { email: to } });
        res.redirect(303, SET_PASSWORD_RETURNS.find((path) => path === next) ?? URLS.connections);
      } catch (error) {
        if (!(error instanceof PasswordAlreadySetError)) throw error;
        await refuse(req, res, error);
      }
    }),
  };
}
