import type { Clock } from '../../infra/clock';
import type { Translator } from '../../infra/i18n';
import { clientSummary } from '../../infra/user-agent';
import { renderPage } from '../../http/render';
import { profileFrame } from '../../http/profile-frame';
import type { ActivityService } from './activity.service';
import type { SecurityEvent } from '../../core/security/security-events.repository';
import { signedInPage } from '../../http/pages';

/** Events that deserve a second look, shown in the error colour (here and on the console's person page). */
export const ALARMING_EVENTS: ReadonlySet<string> = new Set(['sign_in_failed', 'token_refused_ip', 'lockdown', 'profile_locked', 'directory_locked', 'mfa_reset']);

const queryString = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64) : undefined);

/** What an event was about, in words: a name, an address, or how someone signed in. */
export function eventDetail(event: SecurityEvent, t: Translator): string {
  const d = event.data;
  if (d.name) return d.name;
  if (d.email) return d.email;
  if (d.method) return [t(`activity.methods.${d.method}`, { provider: d.provider ?? '' }), d.newDevice ? t('activity.newDevice') : ''].filter(Boolean).join(' · ');
  if (d.count && Number(d.count) > 1) return `× ${d.count}`;
  return '';
}

/** The Activity tab. */
export function createActivityPages(deps: { activity: ActivityService; clock: Clock }) {
  return {
    /** GET /profile/activity?kind=&before=: a page of events, newest first, optionally of one kind. */
    show: signedInPage(async (req, res, user) => {
      const t = res.locals.t;
      const kind = queryString(req.query.kind);
      const before = queryString(req.query.before);
      const page = await deps.activity.page(user, { kind, before });
      await renderPage(res, 'account/activity', {
        ...profileFrame(req, res, deps.clock, 'activity'),
        groups: deps.activity.groups,
        kind: kind && deps.activity.groups.some((g) => (g.types as readonly string[]).includes(kind)) ? kind : '',
        isLaterPage: Boolean(before),
        next: page.next,
        events: page.events.map((e) => ({ ...e, detail: eventDetail(e, t), client: e.userAgent ? clientSummary(e.userAgent) : '', alarming: ALARMING_EVENTS.has(e.type) })),
      });
    }),
  };
}
