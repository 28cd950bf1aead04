import type { SecurityEventsRepository } from '../../core/security/security-events.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import type { SecurityEvent } from '../../core/security/security-events.repository';
import { EVENT_GROUPS, isEventType } from '../../core/security/security-notices';

/** The tables this module reads and writes. */
type Tables = { events: SecurityEventsRepository };

export const ACTIVITY_PAGE_SIZE = 25;

export interface ActivityPage {
  events: SecurityEvent[];
  /** The cursor for the next (older) page, when there is one. */
  next?: string;
}

/** The Activity tab: the account's security events, newest first, a page at a time. */
export function createActivityService(deps: { repos: Repos<Tables> }) {
  return {
    groups: EVENT_GROUPS,

    /** `kind` is one event type (anything else means all); `before` the cursor from the previous page. */
    async page(user: User, options: { kind?: string; before?: string }): Promise<ActivityPage> {
      const types = options.kind && isEventType(options.kind) ? [options.kind] : undefined;
      const before = options.before && /^\d{1,18}$/.test(options.before) ? options.before : undefined;
      const rows = await deps.repos.events.page(user.id, { before, types, limit: ACTIVITY_PAGE_SIZE + 1 });
      const events = rows.slice(0, ACTIVITY_PAGE_SIZE);
      return { events, next: rows.length > ACTIVITY_PAGE_SIZE ? events[events.length - 1]?.id : undefined };
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
