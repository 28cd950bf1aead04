import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { clientSummary } from '../../infra/user-agent';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { profileFrame } from '../../http/profile-frame';
import type { AppPasswordsService } from './app-passwords.service';
import { appPasswordFormSchema } from './credentials.schemas';
import type { NewSecrets } from './new-secret';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';


/** The App passwords tab: one password per client that can only do HTTP Basic. */
export function createAppPasswordsPages(deps: { appPasswords: AppPasswordsService; secrets: NewSecrets; clock: Clock }) {
  const locals = async (req: Request, res: Response) => ({
    ...profileFrame(req, res, deps.clock, 'app-passwords'),
    now: deps.clock.now(),
    username: signedInUser(req).username,
    appPasswords: (await deps.appPasswords.list(signedInUser(req))).map((p) => ({ ...p, client: p.lastUsedAgent ? clientSummary(p.lastUsedAgent) : '' })),
  });

  return {
    /** GET /profile/app-passwords */
    show: page(async (req, res) => {
      const created = deps.secrets.take(req, 'app_password');
      await renderPage(res, 'credentials/app-passwords', { ...(await locals(req, res)), created, values: takePendingForm(req, URLS.appPasswords), errors: {} });
    }),

    /** POST /profile/app-passwords: creates one; it is shown on the next page only. */
    create: formHandler({
      view: 'credentials/app-passwords',
      schema: appPasswordFormSchema,
      keep: ['name', 'scope'],
      locals: async (req, res) => ({ ...(await locals(req, res)), created: undefined }),
      handle: async (req, res, input) => {
        const { appPassword, secret } = await deps.appPasswords.create(signedInUser(req), input, contextOf(req, res));
        deps.secrets.remember(req, { kind: 'app_password', id: appPassword.id, name: appPassword.name, secret });
        res.redirect(303, URLS.appPasswords);
      },
    }),

    /** POST /profile/app-passwords/:id/revoke */
    revoke: signedInPage(async (req, res, user, ctx) => {
      await deps.appPasswords.revoke(user, String(req.params.id), ctx);
      flash(req, { type: 'success', key: 'appPasswords.revoked' });
      res.redirect(303, URLS.appPasswords);
    }),
  };
}
