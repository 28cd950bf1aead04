import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { renderPage } from '../../http/render';
import { flash } from '../../http/session';
import { parseInput } from '../../http/validate';
import { pathTo, URLS } from '../../http/urls';
import { adminFrame } from './admin-frame';
import type { AdminDeletionService } from './admin-deletion.service';
import type { AdminInvitationsService } from './admin-invitations.service';
import type { AdminRolesService } from './admin-roles.service';
import { actorContext } from './admin-actor';
import { createUserFormSchema, deleteUserFormSchema, roleFormSchema } from './admin.schemas';

const usernameParam = (req: Request) => String(req.params.username ?? '');

/** The console's doors to whole accounts: create one with an invitation, change a role, delete one. */
export function createAdminAccountsPages(deps: { invitations: AdminInvitationsService; roles: AdminRolesService; deletion: AdminDeletionService; clock: Clock; config: Config }) {
  const newUserView = 'admin/new-user';
  const newUserLocals = (req: Request, res: Response) => ({ ...adminFrame(req, res, deps.clock, 'people', res.locals.t('admin.create.title')), linkHours: Math.round(deps.config.resetTokenMs / 3_600_000) });

  return {
    /** GET /admin/users/new: the form, filled in again when it was held back for re-authentication. */
    showNew: async (req: Request, res: Response) => {
      await renderPage(res, newUserView, { ...newUserLocals(req, res), values: takePendingForm(req, URLS.adminUserNew), errors: {} });
    },

    /** POST /admin/users/new: creates the account, mails the invitation, opens the person's page. */
    create: formHandler({
      view: newUserView,
      schema: createUserFormSchema,
      keep: ['first_name', 'last_name', 'email', 'username', 'admin'],
      rules: (valid) => deps.invitations.check(valid),
      locals: newUserLocals,
      handle: async (req, res, input) => {
        const { user } = await deps.invitations.createInvited(input, actorContext(req, res));
        flash(req, { type: 'success', key: 'admin.create.done', params: { username: user.username, email: user.email } });
        res.redirect(303, pathTo('adminUser', { username: user.username }));
      },
    }),

    /** POST /admin/users/:username/role: promote or demote; an administrator who demoted themselves lands on the home page. */
    changeRole: async (req: Request, res: Response) => {
      const { role } = parseInput(roleFormSchema, req.body);
      const ctx = actorContext(req, res);
      const { user, changed } = await deps.roles.changeRole(usernameParam(req), role, ctx);
      const key = !changed ? 'admin.roles.unchanged' : role === 'admin' ? 'admin.roles.promoted' : 'admin.roles.demoted';
      flash(req, { type: changed ? 'success' : 'info', key, params: { username: user.username } });
      res.redirect(303, user.id === ctx.actor.id && role === 'user' ? URLS.home : pathTo('adminUser', { username: user.username }));
    },

    /** POST /admin/users/:username/delete: with the username typed out, deletes the account and returns to the list. */
    deleteAccount: async (req: Request, res: Response) => {
      const username = usernameParam(req);
      const { confirm_username: typed } = parseInput(deleteUserFormSchema, req.body);
      if (typed.toLowerCase() !== username.toLowerCase()) throw ValidationError.field('confirm_username', 'admin.delete.errors.usernameMismatch');
      const user = await deps.deletion.deleteAccount(username, actorContext(req, res));
      flash(req, { type: 'success', key: 'admin.delete.done', params: { username: user.username } });
      res.redirect(303, URLS.adminUsers);
    },
  };
}

