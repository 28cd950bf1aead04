import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { continueSignedOut, flash } from '../../http/session';
import type { Translator } from '../../infra/i18n';
import type { EmailChangeService } from './email-change.service';
import type { RecoveryEmailService } from './recovery-email.service';

const tokenOf = (req: Request) => String(req.params.token ?? '');
const title = (res: { locals: Record<string, unknown> }, key: string) => (res.locals.t as Translator)(key);

/**
 * The pages behind links mailed about addresses. Each GET shows a page with a button;
 * only the POST acts, so a mail scanner opening the link changes nothing.
 */
export function createEmailLinkPages(deps: { emailChange: EmailChangeService; recoveryEmail: RecoveryEmailService; config: Config }) {
  return {
    /** GET /confirm-email/:token: asks to confirm the new primary address. */
    showConfirm: (async (req, res) => {
      const { newEmail } = await deps.emailChange.describe(tokenOf(req));
      await renderPage(res, 'profile/email-link', { title: title(res, 'profile.emailLinks.confirmTitle'), action: req.path, heading: 'profile.emailLinks.confirmTitle', lead: 'profile.emailLinks.confirmLead', email: newEmail, button: 'profile.emailLinks.confirmButton' });
    }) as RequestHandler,

    /** POST /confirm-email/:token: makes the change; the old address gets a link to undo it. */
    confirm: (async (req, res) => {
      const { newEmail } = await deps.emailChange.confirm(tokenOf(req), contextOf(req, res));
      if (req.user) {
        flash(req, { type: 'success', key: 'profile.emailLinks.confirmed', params: { email: newEmail } });
        return res.redirect(303, '/profile/account');
      }
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.confirmTitle'), message: 'profile.emailLinks.confirmed', email: newEmail });
    }) as RequestHandler,

    /** GET /undo-email-change/:token: offers to put the old address back and sign out everywhere. */
    showUndo: (async (req, res) => {
      const { oldEmail, newEmail } = await deps.emailChange.describeUndo(tokenOf(req));
      await renderPage(res, 'profile/email-link', {
        title: title(res, 'profile.emailLinks.undoTitle'),
        action: req.path,
        heading: 'profile.emailLinks.undoTitle',
        lead: 'profile.emailLinks.undoLead',
        email: oldEmail,
        newEmail,
        button: 'profile.emailLinks.undoButton',
        danger: true,
      });
    }) as RequestHandler,

    /** POST /undo-email-change/:token: reverts the address and ends every session, this one too. */
    undo: (async (req, res) => {
      const { oldEmail } = await deps.emailChange.undo(tokenOf(req), contextOf(req, res));
      await continueSignedOut(req, res, deps.config);
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.undoTitle'), message: 'profile.emailLinks.undone', email: oldEmail, suggestReset: true });
    }) as RequestHandler,

    /** GET /confirm-recovery-email/:token: asks to confirm the recovery address. */
    showRecovery: (async (req, res) => {
      const { email } = await deps.recoveryEmail.describe(tokenOf(req));
      await renderPage(res, 'profile/email-link', { title: title(res, 'profile.emailLinks.recoveryTitle'), action: req.path, heading: 'profile.emailLinks.recoveryTitle', lead: 'profile.emailLinks.recoveryLead', email, button: 'profile.emailLinks.recoveryButton' });
    }) as RequestHandler,

    /** POST /confirm-recovery-email/:token: marks the recovery address verified. */
    confirmRecovery: (async (req, res) => {
      const { email } = await deps.recoveryEmail.confirm(tokenOf(req));
      if (req.user) {
        flash(req, { type: 'success', key: 'profile.emailLinks.recoveryConfirmed', params: { email } });
        return res.redirect(303, '/profile/account');
      }
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.recoveryTitle'), message: 'profile.emailLinks.recoveryConfirmed', email });
    }) as RequestHandler,
  };
}
