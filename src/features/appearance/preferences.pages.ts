import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { formHandler, formPage } from '../../http/form';
import { flash } from '../../http/session';
import { rememberAppearance } from './appearance.pages';
import { noticePreferencesSchema, preferencesSchema } from './appearance.schemas';
import type { AppearanceService } from './appearance.service';
import type { SignInActivity } from '../sessions/sign-in-activity.service';
import { profileFrame } from '../../http/profile-frame';
import { signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

/** The Preferences tab: language and theme, saved on the account, and the new-device notice. */
export function createPreferencesPages(deps: { appearance: AppearanceService; activity: SignInActivity; config: Config; clock: Clock }) {
  const view = 'appearance/preferences';
  const locals = (req: Request, res: Response) => {
    const user = signedInUser(req);
    return { ...profileFrame(req, res, deps.clock, 'preferences'), chosen: { language: user.language ?? res.locals.locale, theme: user.theme ?? 'auto' }, newDeviceNotices: user.notifyNewDevice };
  };
  return {
    /** GET /profile/preferences: the choices, the current ones selected. */
    show: formPage({ view, locals }),

    /** POST /profile/preferences: saves both; the very next page uses them. */
    submit: formHandler({
      view,
      schema: preferencesSchema,
      keep: [],
      locals,
      handle: async (req, res, input) => {
        await deps.appearance.save(signedInUser(req).id, input);
        rememberAppearance(res, deps.config, input);
        flash(req, { type: 'success', key: 'profile.preferences.saved' });
        res.redirect(303, URLS.preferences);
      },
    }),

    /** POST /profile/preferences/notices: whether a sign-in from a new device is mailed. */
    saveNotices: formHandler({
      view,
      schema: noticePreferencesSchema,
      keep: [],
      locals,
      handle: async (req, res, input) => {
        await deps.activity.setNewDeviceNotices(signedInUser(req), input.new_device === 'on');
        flash(req, { type: 'success', key: 'profile.preferences.noticesSaved' });
        res.redirect(303, URLS.preferences);
      },
    }),
  };
}
