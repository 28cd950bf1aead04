import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import { sessionHandle, type AuthMethod } from '../../infra/session-store/session-data';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { parseUserAgent, type DeviceDescription } from '../../infra/user-agent';
import type { RequestContext } from '../../http/request-context';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';

/** The tables this module reads and writes. */
type Tables = NoticeTables;

export interface SessionView {
  /** The public handle (SHA-256 of the session id): safe to show and to post back. */
  id: string;
  current: boolean;
  device: DeviceDescription;
  ip: string;
  method: AuthMethod | 'unknown';
  /** The identity provider's name, for a sign-in through one. */
  provider: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  lastAuthAt: Date;
  expiresAt: Date;
}

export class CurrentSessionError extends AppError {
  constructor() {
    super(409, 'current_session', 'sessions.errors.current');
  }
}

/** The devices an account is signed in on: listing, signing out one or all others, limits. */
export function createSessionsService(deps: { registry: SessionRegistry; repos: Repos<Tables>; clock: Clock; config: Config; notices: SecurityNotices }) {
  const { registry, clock, config } = deps;

  /** Live sessions by the service's own clock: idle and absolute timeouts, not only the store's expiry. */
  async function live(userId: string): Promise<SessionView[]> {
    const now = clock.now().getTime();
    const views: SessionView[] = [];
    for (const record of await registry.listByUser(userId)) {
      const data = record.data;
      const createdAt = data.createdAt ?? now;
      const lastSeenAt = data.lastSeenAt ?? createdAt;
      const expiresAt = Math.min(lastSeenAt + config.sessionIdleMs, createdAt + config.sessionAbsoluteMs);
      if (expiresAt <= now) continue;
      views.push({
        id: record.id,
        current: false,
        device: data.device ?? parseUserAgent(''),
        ip: data.ip ?? '',
        method: data.authMethod ?? 'unknown',
        provider: data.authProvider ? (config.oidcProviders.find((p) => p.id === data.authProvider)?.name ?? data.authProvider) : null,
        createdAt: new Date(createdAt),
        lastSeenAt: new Date(lastSeenAt),
        lastAuthAt: new Date(data.lastAuthAt ?? createdAt),
        expiresAt: new Date(expiresAt),
      });
    }
    return views;
  }

  return {
    /** This device (`currentSid`) first, then the most recently active. */
    async list(userId: string, currentSid: string | undefined): Promise<SessionView[]> {
      const current = currentSid && sessionHandle(currentSid);
      return (await live(userId))
        .map((view) => ({ ...view, current: view.id === current }))
        .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
    },

    /** Signs out one other device. An unknown handle, or someone else's, is a 404 that reveals nothing. */
    async revoke(user: User, handle: string, ctx: RequestContext): Promise<void> {
      if (ctx.sessionId && handle === sessionHandle(ctx.sessionId)) throw new CurrentSessionError();
      if (!/^[0-9a-f]{64}$/.test(handle) || !(await registry.destroyByHandle(user.id, handle, 'revoked'))) {
        throw new NotFoundError('sessions.errors.notFound');
      }
      await deps.repos.transaction((tx) => deps.notices.record(tx, user, 'session_revoked', ctx, { count: '1' }));
    },

    /** Signs out every device but the one asking (`ctx.sessionId`). */
    async revokeOthers(user: User, ctx: RequestContext): Promise<number> {
      const count = await registry.destroyAllForUser(user.id, ctx.sessionId, 'revoked');
      if (count > 0) await deps.repos.transaction((tx) => deps.notices.record(tx, user, 'session_revoked', ctx, { count: String(count) }));
      return count;
    },

    /** After a sign-in: beyond MAX_SESSIONS_PER_USER, the oldest sessions end. */
    async enforceLimit(userId: string, currentSid: string): Promise<void> {
      // Counting is enough for nearly every sign-in; only one over the limit reads the sessions.
      if ((await registry.countByUser(userId)) <= config.maxSessionsPerUser) return;
      const sessions = await registry.listByUser(userId);
      const excess = sessions.length - config.maxSessionsPerUser;
      if (excess <= 0) return;
      const current = sessionHandle(currentSid);
      const oldest = sessions
        .filter((s) => s.id !== current)
        .sort((a, b) => (a.data.createdAt ?? 0) - (b.data.createdAt ?? 0))
        .slice(0, excess);
      for (const session of oldest) await registry.destroyByHandle(userId, session.id, 'session_limit');
    },

    /** Operator command: ends every signed-in session, account by account (no scan of the store). */
    async revokeEveryone(): Promise<number> {
      let total = 0;
      for (let after: string | null = null; ; ) {
        const ids = await deps.repos.users.listIds(after, 500);
        if (ids.length === 0) return total;
        const counts = await Promise.all(ids.map((id) => registry.destroyAllForUser(id, undefined, 'administrator')));
        total += counts.reduce((a, b) => a + b, 0);
        after = ids[ids.length - 1] as string;
      }
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
