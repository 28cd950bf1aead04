import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { page, signedInPage } from '../../http/pages';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { URLS } from '../../http/urls';
import type { NewSecrets } from '../credentials/new-secret';
import { actorContext } from './admin-actor';
import type { AdminApplicationsService } from './admin-applications.service';
import { adminFrame } from './admin-frame';
import { APPLICATION_FIELDS, applicationFormSchema } from './admin.schemas';

/** The console's Applications page: the registered applications, registering another, removing one. */
export function createAdminApplicationsPages(deps: { adminApplications: AdminApplicationsService; secrets: NewSecrets; clock: Clock; baseUrl: URL }) {
  const view = 'admin/applications';
  // What an application's configuration needs besides its client_id (and secret), as apps:create prints it.
  const issuer = deps.baseUrl.href.replace(/\/$/, '');
  const locals = async (req: Request, res: Response) => ({
    ...adminFrame(req, res, deps.clock, 'applications'),
    now: deps.clock.now(),
    applications: await deps.adminApplications.list(),
    issuer,
    discovery: `${issuer}${URLS.providerDiscovery}`,
  });

  return {
    /** GET /admin/applications: the applications, the one just registered with its secret (this once), and the form. */
    show: page(async (req, res) => {
      const created = deps.secrets.take(req, 'application');
      await renderPage(res, view, { ...(await locals(req, res)), created, values: takePendingForm(req, URLS.adminApplications), errors: {} });
    }),

    /** POST /admin/applications: registers one as apps:create does; its client_id and secret are shown on the next page only. */
    register: formHandler({
      view,
      schema: applicationFormSchema,
      keep: APPLICATION_FIELDS,
      locals,
      handle: async (req, res, input) => {
        const { client, clientSecret } = await deps.adminApplications.register(input, actorContext(req, res));
        deps.secrets.remember(req, { kind: 'application', id: client.clientId, name: client.name, secret: clientSecret });
        res.redirect(303, URLS.adminApplications);
      },
    }),

    /** POST /admin/applications/:client/remove: removes it with every grant and token it holds. */
    remove: signedInPage(async (req, res) => {
      const client = await deps.adminApplications.remove(String(req.params.client), actorContext(req, res));
      flash(req, { type: 'success', key: 'admin.applications.removed', params: { name: client.name } });
      res.redirect(303, URLS.adminApplications);
    }),
  };
}
