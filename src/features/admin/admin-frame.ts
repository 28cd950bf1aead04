import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import type { Translator } from '../../infra/i18n';
import type { ProfileTab } from '../../http/feature';
import { isElevated } from '../../http/middleware/require-recent-auth';
import { URLS } from '../../http/urls';

export type AdminSection = 'people' | 'applications' | 'settings' | 'audit';

const SECTIONS: ProfileTab[] = [
  { id: 'people', path: URLS.adminUsers, labelKey: 'admin.nav.people', group: 'profile', icon: 'person', order: 10 },
  { id: 'applications', path: URLS.adminApplications, labelKey: 'admin.nav.applications', group: 'profile', icon: 'app', order: 15 },
  { id: 'settings', path: URLS.adminSettings, labelKey: 'admin.nav.settings', group: 'profile', icon: 'sliders', order: 20 },
  { id: 'audit', path: URLS.adminAudit, labelKey: 'admin.nav.audit', group: 'profile', icon: 'pulse', order: 30 },
];

/**
 * What every console page shows around its content, in the profile's frame: the sections,
 * the current one, the page's heading (a person's name on their page) and, since every
 * action here asks for a recent sign-in, until when the last one still counts.
 */
export function adminFrame(req: Request, res: Response, clock: Clock, section: AdminSection, heading?: string) {
  const t = res.locals.t as Translator;
  const current = SECTIONS.find((s) => s.id === section) as ProfileTab;
  return {
    title: `${heading ?? t(current.labelKey)} · ${t('admin.title')}`,
    tabGroups: [{ labelKey: 'admin.title', tabs: SECTIONS }],
    currentTab: current,
    heading: heading ?? null,
    elevatedUntil: isElevated(req, clock) ? (req.session.elevatedUntil as number) : null,
    adminConsole: true,
    navLabelKey: 'admin.navLabel',
  };
}
