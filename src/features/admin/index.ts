import type { CoreDeps } from '../../core/feature-deps';
import type { Feature } from '../../http/feature';
import type { AuthServices } from '../auth';
import { createAdminUsersService } from './admin-users.service';

type Deps = CoreDeps & { repos: Parameters<typeof createAdminUsersService>[0]['repos']; auth: AuthServices };

/** What administrators do to other people's accounts (today through the operator commands). */
export function createAdminFeature(deps: Deps) {
  const adminUsers = createAdminUsersService({ repos: deps.repos, clock: deps.clock, passwordReset: deps.auth.passwordReset, notices: deps.notices, sessions: deps.sessionRegistry });
  return { services: { adminUsers } } satisfies Feature;
}
