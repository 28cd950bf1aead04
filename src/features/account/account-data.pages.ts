import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import { formHandler, formPage } from '../../http/form';
import { contextOf } from '../../http/request-context';
import { continueSignedOut, flash } from '../../http/session';
import { text } from '../../http/validate';
import { profileFrame } from '../../http/profile-frame';
import type { AccountDeletionService } from './account-deletion.service';
import type { DataExportService } from './data-export.service';
import { signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

const deleteSchema = z.object({ confirm_username: text({ requiredKey: 'deletion.errors.usernameRequired', max: 254 }) });

/** The "Your data" tab: download everything, or delete the account. */
export function createAccountDataPages(deps: { dataExport: DataExportService; accountDeletion: AccountDeletionService; config: Config; clock: Clock }) {
  const deleteLocals = (req: Request, res: Response) => ({ ...profileFrame(req, res, deps.clock, 'delete'), username: signedInUser(req).username, reserveDays: deps.config.deletedReserveDays });

  return {
    /** GET /profile/data */
    show: formPage({ view: 'account/data', locals: (req, res) => profileFrame(req, res, deps.clock, 'data') }),

    /** GET /profile/data/export: the JSON file (after a recent sign-in). */
    export: signedInPage(async (_req, res, user, ctx) => {
      const data = await deps.dataExport.export(user, ctx);
      res.set('Content-Disposition', `attachment; filename="${deps.dataExport.fileName()}"`).set('Cache-Control', 'no-store');
      res.type('application/json; charset=utf-8').send(`${JSON.stringify(data, null, 2)}\n`);
    }),

    /** GET /profile/delete: what goes, and the confirmation form. */
    showDelete: formPage({ view: 'account/delete', locals: deleteLocals }),

    /** POST /profile/delete: with the username typed out, deletes the account and lands on the sign-in page. */
    delete: formHandler({
      view: 'account/delete',
      schema: deleteSchema,
      keep: [],
      locals: deleteLocals,
      handle: async (req, res, input) => {
        const user = signedInUser(req);
        if (input.confirm_username.toLowerCase() !== user.username.toLowerCase()) throw ValidationError.field('confirm_username', 'deletion.errors.usernameMismatch');
        await deps.accountDeletion.delete(user, contextOf(req, res));
        await continueSignedOut(req, res, deps.config);
        flash(req, { type: 'success', key: 'deletion.done' });
        res.redirect(303, URLS.signIn);
      },
    }),
  };
}
