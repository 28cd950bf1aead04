import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import type { Places } from '../../infra/geoip';
import { clientSummary, deviceLabel } from '../../infra/user-agent';
import type { Translator } from '../../infra/i18n';
import { AppError } from '../../infra/errors';
import { renderPage } from '../../http/render';
import { signedInPage } from '../../http/pages';
import { flash } from '../../http/session';
import { pathTo } from '../../http/urls';
import { ALARMING_EVENTS, eventDetail } from '../account/activity.pages';
import { usernameParam } from './admin-access';
import { adminFrame } from './admin-frame';
import type { AdminPersonService } from './admin-person.service';
import type { AdminPersonActions, CredentialKind } from './admin-person-actions.service';
import { actorContext } from './admin-actor';
import type { ActorContext } from './actor-context';

/** One person's page in the console: their state, and a form for each way to help them. */
export function createAdminPersonPages(deps: { person: AdminPersonService; actions: AdminPersonActions; clock: Clock; places: Places; reserveDays: number }) {
  const { actions } = deps;

  /**
   * A form's handler: the action, then back to the person's page (303) with what happened.
   * A refusal the administrator can act on (409: not on yourself, verified already) is
   * said there too; anything else is the error page.
   */
  const action = (run: (act: ActorContext, username: string, req: Request) => Promise<{ key: string; count?: number }>) =>
    signedInPage(async (req, res) => {
      const username = usernameParam(req);
      try {
        const { key, count } = await run(actorContext(req, res), username, req);
        flash(req, { type: 'success', key, count });
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 409) throw err;
        flash(req, { type: 'error', key: err.messageKey });
      }
      res.redirect(303, pathTo('adminUser', { username }));
    });

  const revoke = (kind: CredentialKind) => action(async (act, username, req) => {
    await actions.revokeCredential(act, username, kind, String(req.params.id));
    return { key: `admin.person.done.${kind}Revoked` };
  });

  return {
    /** GET /admin/users/:username */
    show: signedInPage(async (req: Request, res: Response, viewer, ctx) => {
      const t = res.locals.t as Translator;
      const view = await deps.person.view(usernameParam(req), ctx.sessionId);
      const { person } = view;
      await renderPage(res, 'admin/person', {
        ...adminFrame(req, res, deps.clock, 'people', `${person.firstName} ${person.lastName}`.trim() || person.username),
        ...view,
        isSelf: person.id === viewer.id,
        reserveDays: deps.reserveDays,
        sessions: view.sessions.map((s) => ({ ...s, label: deviceLabel(s.device), place: deps.places.placeOf(s.ip, ctx.locale) })),
        activity: view.activity.map((e) => ({ ...e, detail: eventDetail(e, t), client: e.userAgent ? clientSummary(e.userAgent) : '', alarming: ALARMING_EVENTS.has(e.type) })),
        now: deps.clock.now(),
      });
    }),

    /** POST /admin/users/:username/lock */
    lock: action(async (act, username) => ({ key: (await actions.setLocked(act, username, true)) ? 'admin.person.done.locked' : 'admin.person.done.alreadyLocked' })),
    /** POST /admin/users/:username/unlock */
    unlock: action(async (act, username) => ({ key: (await actions.setLocked(act, username, false)) ? 'admin.person.done.unlocked' : 'admin.person.done.notLocked' })),
    /** POST /admin/users/:username/reset-two-step */
    resetTwoStep: action(async (act, username) => ({ key: (await actions.resetTwoStep(act, username)) ? 'admin.person.done.twoStepReset' : 'admin.person.done.nothingToReset' })),
    /** POST /admin/users/:username/password-reset */
    sendPasswordReset: action(async (act, username) => {
      await actions.sendPasswordReset(act, username);
      return { key: 'admin.person.done.passwordResetSent' };
    }),
    /** POST /admin/users/:username/resend-verification */
    resendVerification: action(async (act, username) => {
      await actions.resendVerification(act, username);
      return { key: 'admin.person.done.verificationSent' };
    }),
    /** POST /admin/users/:username/mark-verified */
    markVerified: action(async (act, username) => {
      await actions.markVerified(act, username);
      return { key: 'admin.person.done.markedVerified' };
    }),
    /** POST /admin/users/:username/sessions/end-all */
    endSessions: action(async (act, username) => ({ key: 'admin.person.done.sessionsEnded', count: await actions.endSessions(act, username) })),
    /** POST /admin/users/:username/sessions/:id/end */
    endSession: action(async (act, username, req) => {
      await actions.endSession(act, username, String(req.params.id));
      return { key: 'admin.person.done.sessionEnded' };
    }),
    /** POST /admin/users/:username/tokens/:id/revoke */
    revokeToken: revoke('token'),
    /** POST /admin/users/:username/app-passwords/:id/revoke */
    revokeAppPassword: revoke('app_password'),
    /** POST /admin/users/:username/keys/:id/delete */
    deleteKey: revoke('ssh_key'),
  };
}
