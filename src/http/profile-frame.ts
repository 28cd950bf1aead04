import type { Application, Request, Response } from 'express';
import type { Clock } from '../infra/clock';
import type { Translator } from '../infra/i18n';
import type { ProfileTab } from './feature';
import { isElevated } from './middleware/require-recent-auth';

const TABS_SETTING = 'profile tabs';

/** Records the profile's tabs, as the features contribute them, in their order. */
export function rememberProfileTabs(app: Application, tabs: ProfileTab[]): void {
  app.set(TABS_SETTING, [...tabs].sort((a, b) => a.order - b.order));
}

/** What every tab shows around its content: the tab list and the step-up status. */
export function profileFrame(req: Request, res: Response, clock: Clock, tab: string) {
  const t = res.locals.t as Translator;
  const tabs = (req.app.get(TABS_SETTING) ?? []) as ProfileTab[];
  const current = tabs.find((x) => x.id === tab);
  return {
    title: `${t(current?.labelKey ?? 'profile.title')} · ${t('profile.title')}`,
    tabs,
    currentTab: tab,
    elevatedUntil: isElevated(req, clock) ? (req.session.elevatedUntil as number) : null,
  };
}
