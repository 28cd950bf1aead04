import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { NotFoundError } from '../../infra/errors';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { profileFrame } from '../../http/profile-frame';
import { sshKeyFormSchema } from './credentials.schemas';
import type { SshKeysService } from './ssh-keys.service';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';


/** The SSH keys tab, and the public authorized_keys file of each account. */
export function createSshKeysPages(deps: { sshKeys: SshKeysService; clock: Clock }) {
  const locals = async (req: Request, res: Response) => ({
    ...profileFrame(req, res, deps.clock, 'keys'),
    now: deps.clock.now(),
    username: signedInUser(req).username,
    keys: await deps.sshKeys.list(signedInUser(req)),
  });

  return {
    /** GET /profile/keys */
    show: page(async (req, res) => {
      await renderPage(res, 'credentials/keys', { ...(await locals(req, res)), values: takePendingForm(req, URLS.keys), errors: {} });
    }),

    /** POST /profile/keys: adds a public key. */
    add: formHandler({
      view: 'credentials/keys',
      schema: sshKeyFormSchema,
      // Never echo the key: what was pasted may be a private key.
      keep: ['title'],
      rules: (valid) => deps.sshKeys.check(valid),
      locals,
      handle: async (req, res, input) => {
        const key = await deps.sshKeys.add(signedInUser(req), input, contextOf(req, res));
        flash(req, { type: 'success', key: 'keys.added', params: { title: key.title } });
        res.redirect(303, URLS.keys);
      },
    }),

    /** POST /profile/keys/:id/delete */
    remove: signedInPage(async (req, res, user, ctx) => {
      await deps.sshKeys.remove(user, String(req.params.id), ctx);
      flash(req, { type: 'success', key: 'keys.removed' });
      res.redirect(303, URLS.keys);
    }),

    /** GET /users/:username.keys: the account's public keys as authorized_keys lines, for provisioning. */
    authorizedKeys: page(async (req, res) => {
      const lines = await deps.sshKeys.authorizedKeys(String(req.params.username), contextOf(req, res));
      if (lines === undefined) throw new NotFoundError();
      res.set('Cache-Control', 'no-cache').type('text/plain; charset=utf-8').send(lines);
    }),
  };
}
