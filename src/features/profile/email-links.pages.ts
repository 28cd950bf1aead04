import type { Response } from 'express';
import type { Config } from '../../config';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { continueSignedOut, flash } from '../../http/session';
import type { EmailChangeService } from './email-change.service';
import type { RecoveryEmailService } from './recovery-email.service';
import { linkPage } from '../../http/pages';
import { URLS } from '../../http/urls';

const title = (res: Response, key: string) => res.locals.t(key);

/**
 * The pages behind links mailed about addresses. Each GET shows a page with a button;
 * only the POST acts, so a mail scanner opening the link changes nothing.
 */
export function createEmailLinkPages(deps: { emailChange: EmailChangeService; recoveryEmail: RecoveryEmailService; config: Config }) {
  return {
    /** GET /confirm-email/:token: asks to confirm the new primary address. */
    showConfirm: linkPage(async (req, res, token) => {
      const { newEmail } = await deps.emailChange.describe(token);
      await renderPage(res, 'profile/email-link', { title: title(res, 'profile.emailLinks.confirmTitle'), action: req.path, heading: 'profile.emailLinks.confirmTitle', lead: 'profile.emailLinks.confirmLead', email: newEmail, button: 'profile.emailLinks.confirmButton' });
    }),

    /** POST /confirm-email/:token: makes the change; the old address gets a link to undo it. */
    confirm: linkPage(async (req, res, token) => {
      const { newEmail } = await deps.emailChange.confirm(token, contextOf(req, res));
      if (req.user) {
        flash(req, { type: 'success', key: 'profile.emailLinks.confirmed', params: { email: newEmail } });
        return res.redirect(303, URLS.account);
      }
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.confirmTitle'), message: 'profile.emailLinks.confirmed', email: newEmail });
    }),

    /** GET /undo-email-change/:token: offers to put the old address back and sign out everywhere. */
    showUndo: linkPage(async (req, res, token) => {
      const { oldEmail, newEmail } = await deps.emailChange.describeUndo(token);
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
    }),

    /** POST /undo-email-change/:token: reverts the address and ends every session, this one too. */
    undo: linkPage(async (req, res, token) => {
      const { oldEmail } = await deps.emailChange.undo(token, contextOf(req, res));
      await continueSignedOut(req, res, deps.config);
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.undoTitle'), message: 'profile.emailLinks.undone', email: oldEmail, suggestReset: true });
    }),

    /** GET /confirm-recovery-email/:token: asks to confirm the recovery address. */
    showRecovery: linkPage(async (req, res, token) => {
      const { email } = await deps.recoveryEmail.describe(token);
      await renderPage(res, 'profile/email-link', { title: title(res, 'profile.emailLinks.recoveryTitle'), action: req.path, heading: 'profile.emailLinks.recoveryTitle', lead: 'profile.emailLinks.recoveryLead', email, button: 'profile.emailLinks.recoveryButton' });
    }),

    /** POST /confirm-recovery-email/:token: marks the recovery address verified. */
    confirmRecovery: linkPage(async (req, res, token) => {
      const { email } = await deps.recoveryEmail.confirm(token);
      if (req.user) {
        flash(req, { type: 'success', key: 'profile.emailLinks.recoveryConfirmed', params: { email } });
        return res.redirect(303, URLS.account);
      }
      await renderPage(res, 'profile/email-link-done', { title: title(res, 'profile.emailLinks.recoveryTitle'), message: 'profile.emailLinks.recoveryConfirmed', email });
    }),
  };
}
