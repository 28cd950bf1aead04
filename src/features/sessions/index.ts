import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP, type Operation } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import { sessionsApi } from './sessions.api';
import { createSessionsPages } from './sessions.pages';
import { createSessionsService } from './sessions.service';
import { createSignInActivity } from './sign-in-activity.service';
import { createSignInCompletion } from './sign-in-completion.pages';

type Deps = CoreDeps & { repos: Parameters<typeof createSessionsService>[0]['repos'] & Parameters<typeof createSignInActivity>[0]['repos'] };

/** Signed-in sessions: how every sign-in ends (activity, known devices, a fresh session), and the Sessions tab. */
export function createSessionsFeature(deps: Deps) {
  const { config, clock } = deps;
  const signInActivity = createSignInActivity({ repos: deps.repos, notices: deps.notices, clock, background: deps.background, policies: deps.policies, mail: deps.mail, links: deps.links });
  const sessions = createSessionsService({ registry: deps.sessionRegistry, repos: deps.repos, clock, config, notices: deps.notices });
  const complete = createSignInCompletion({ config, clock, sessions, activity: signInActivity });

  const pages = createSessionsPages({ sessions, clock, places: deps.places });
  const guard = (operation: Operation) => guardOperation(operation, { clock, returnTo: URLS.sessions });
  const routes = Router();
  routes.get(URLS.sessions, requireUser, guard(OP.listSessions), pages.show);
  routes.post(URLS.sessionsRevokeOthers, requireUser, guard(OP.revokeOtherSessions), pages.revokeOthers);
  routes.post(URLS.sessionRevoke, requireUser, guard(OP.revokeSession), pages.revoke);

  const feature = {
    services: { signInActivity, sessions },
    routes,
    api: sessionsApi({ sessions }),
    tabs: [{ id: 'sessions', path: URLS.sessions, labelKey: 'profile.tabs.sessions', group: 'security', icon: 'devices', order: 50 }],
  } satisfies Feature;
  /** `complete`: the last step of every way in, for the sign-in pages of the features above. */
  return { ...feature, complete };
}

export type SessionsServices = ReturnType<typeof createSessionsFeature>['services'];
