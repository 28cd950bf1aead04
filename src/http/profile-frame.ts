import type { Request, Response } from 'express';
import type { Clock } from '../infra/clock';
import type { Translator } from '../infra/i18n';
import { isElevated } from './middleware/require-recent-auth';

/** The tabs of the profile page, in order. Each is a full page of its own. */
export const PROFILE_TABS = [
  { id: 'account', path: '/profile/account', labelKey: 'profile.tabs.account' },
  { id: 'password', path: '/profile/password', labelKey: 'profile.tabs.password' },
  { id: 'preferences', path: '/profile/preferences', labelKey: 'profile.tabs.preferences' },
  { id: 'sessions', path: '/profile/sessions', labelKey: 'profile.tabs.sessions' },
  { id: 'security', path: '/profile/security', labelKey: 'profile.tabs.security' },
  { id: 'tokens', path: '/profile/tokens', labelKey: 'profile.tabs.tokens' },
  { id: 'app-passwords', path: '/profile/app-passwords', labelKey: 'profile.tabs.appPasswords' },
  { id: 'keys', path: '/profile/keys', labelKey: 'profile.tabs.keys' },
  { id: 'activity', path: '/profile/activity', labelKey: 'profile.tabs.activity' },
  { id: 'data', path: '/profile/data', labelKey: 'profile.tabs.data' },
] as const;

export type ProfileTab = (typeof PROFILE_TABS)[number]['id'];

/** What every tab shows around its content: the tab list and the step-up status. */
export function profileFrame(req: Request, res: Response, clock: Clock, tab: ProfileTab) {
  const t = res.locals.t as Translator;
  const current = PROFILE_TABS.find((x) => x.id === tab);
  return {
    title: `${t(current?.labelKey ?? 'profile.title')} · ${t('profile.title')}`,
    tabs: PROFILE_TABS,
    currentTab: tab,
    elevatedUntil: isElevated(req, clock) ? (req.session.elevatedUntil as number) : null,
  };
}
