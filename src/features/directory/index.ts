import type { CoreDeps } from '../../core/feature-deps';
import type { Repos } from '../../core/repos';
import type { Feature } from '../../http/feature';
import { createDirectoryClient } from '../../infra/ldap/directory-client';
import type { Logger } from '../../infra/logger';
import { createDirectoryAccounts } from './directory-accounts.service';
import { createDirectoryService } from './directory.service';
import { createDirectorySync, type DirectorySyncTables } from './directory-sync.service';

type Deps = CoreDeps & { repos: Repos<DirectorySyncTables>; logger: Logger };

/**
 * People from an LDAP directory (LDAP_URL): their sign-in, their accounts' details and the
 * periodic sync. The pages that treat them differently (Account, Password, two-step,
 * forgot-password) ask `directory` and the account's source; this feature has no pages.
 */
export function createDirectoryFeature(deps: Deps) {
  const config = deps.config.directory;
  const client = config && createDirectoryClient(config);
  const accounts = createDirectoryAccounts({ repos: deps.repos, clock: deps.clock, notices: deps.notices, logger: deps.logger });
  return {
    services: {
      directory: createDirectoryService({ client, accounts, logger: deps.logger }),
      directorySync: createDirectorySync({ repos: deps.repos, clock: deps.clock, notices: deps.notices, sessions: deps.sessionRegistry, client, accounts }),
    },
  } satisfies Feature;
}
