import type { Application, Request, Response } from 'express';
import type { Clock } from '../infra/clock';
import type { Translator } from '../infra/i18n';
import { PROFILE_TAB_GROUPS, type ProfileTab } from './feature';
import { isElevated } from './middleware/require-recent-auth';

const TABS_SETTING = 'profile tabs';

/** Records the profile's tabs, as the features contribute them, in their order. */
export function rememberProfileTabs(app: Application, tabs: ProfileTab[]): void {
  app.set(TABS_SETTING, [...tabs].sort((a, b) => a.order - b.order));
}

/**
 * What every tab shows around its content: the tabs under their group headings, the
 * current one, and (on tabs whose forms ask for it) until when the last sign-in counts
 * as recent.
 */
export function profileFrame(req: Request, res: Response, clock: Clock, tab: string) {
  const t = res.locals.t as Translator;
  const tabs = (req.app.get(TABS_SETTING) ?? []) as ProfileTab[];
  const current = tabs.find((x) => x.id === tab);
  const tabGroups = PROFILE_TAB_GROUPS
    .map((group) => ({ labelKey: `profile.groups.${group}`, tabs: tabs.filter((x) => x.group === group) }))
    .filter((group) => group.tabs.length > 0);
  return {
    title: `${t(current?.labelKey ?? 'profile.title')} · ${t('profile.title')}`,
    tabGroups,
    currentTab: current ?? null,
    elevatedUntil: current?.stepUp && isElevated(req, clock) ? (req.session.elevatedUntil as number) : null,
  };
}
