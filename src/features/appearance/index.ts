import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import type { Feature } from '../../http/feature';
import { requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import type { SessionsServices } from '../sessions';
import { createAppearancePages } from './appearance.pages';
import { createAppearanceService } from './appearance.service';
import { createPreferencesPages } from './preferences.pages';

type Deps = CoreDeps & { repos: Parameters<typeof createAppearanceService>[0]['repos']; sessions: SessionsServices };

/** Language and theme, for everyone (a cookie) and saved on the account; and the Preferences tab. */
export function createAppearanceFeature(deps: Deps) {
  const { config, clock } = deps;
  const appearance = createAppearanceService({ repos: deps.repos, clock });

  const chooser = createAppearancePages({ appearance, config });
  const preferences = createPreferencesPages({ appearance, activity: deps.sessions.signInActivity, config, clock });
  const routes = Router();
  routes.get(URLS.appearance, chooser.choose);
  routes.post(URLS.appearance, chooser.save);
  routes.get(URLS.preferences, requireUser, preferences.show);
  routes.post(URLS.preferences, requireUser, preferences.submit);
  routes.post(URLS.preferencesNotices, requireUser, preferences.saveNotices);

  return {
    services: { appearance },
    routes,
    tabs: [{ id: 'preferences', path: URLS.preferences, labelKey: 'profile.tabs.preferences', group: 'profile', icon: 'sliders', order: 30 }],
  } satisfies Feature;
}
