import type { Knex } from 'knex';
import type { Repos } from './core/repos';
import { createOneTimeTokensRepository } from './core/one-time-links/one-time-tokens.repository';
import { createOutboxRepository } from './infra/mailer/outbox.repository';
import { createAdvisoryLocksRepository } from './infra/advisory-locks.repository';
import { createAvatarsRepository } from './core/users/avatars.repository';
import { createAuthenticatorsRepository } from './features/mfa/authenticators.repository';
import { createSecurityEventsRepository } from './core/security/security-events.repository';
import { createCredentialsRepository } from './features/credentials/credentials.repository';
import { createDeletedIdentitiesRepository } from './core/account-state/deleted-identities.repository';
import { createKnownDevicesRepository } from './core/security/known-devices.repository';
import { createUsersRepository } from './core/users/users.repository';
import { createAdminAuditRepository } from './features/admin/admin-audit.repository';
import { createAdminPeopleRepository } from './features/admin/admin-people.repository';
import { createUserIdentitiesRepository } from './core/identities/user-identities.repository';
import { createAdminPoliciesRepository } from './core/policies/policies.repository';
import { createOidcPayloadsRepository } from './features/provider/oidc-payloads.repository';
import { createOidcClientsRepository } from './features/provider/oidc-clients.repository';
import { createSigningKeysRepository } from './features/provider/signing-keys.repository';

function bind(db: Knex | Knex.Transaction) {
  return {
    users: createUsersRepository(db),
    oneTimeTokens: createOneTimeTokensRepository(db),
    outbox: createOutboxRepository(db),
    avatars: createAvatarsRepository(db),
    authenticators: createAuthenticatorsRepository(db),
    events: createSecurityEventsRepository(db),
    credentials: createCredentialsRepository(db),
    deletedIdentities: createDeletedIdentitiesRepository(db),
    knownDevices: createKnownDevicesRepository(db),
    locks: createAdvisoryLocksRepository(db),
    adminAudit: createAdminAuditRepository(db),
    adminPolicies: createAdminPoliciesRepository(db),
    adminPeople: createAdminPeopleRepository(db),
    identities: createUserIdentitiesRepository(db),
    oidcPayloads: createOidcPayloadsRepository(db),
    oidcClients: createOidcClientsRepository(db),
    signingKeys: createSigningKeysRepository(db),
  };
}

export type BoundRepositories = ReturnType<typeof bind>;

/** Every repository, plus transaction() (see core/repos.ts); each service is handed the tables it names. */
export type Repositories = Repos<BoundRepositories>;

export function createRepositories(db: Knex): Repositories {
  return {
    ...bind(db),
    transaction: (work) => db.transaction((trx) => work(bind(trx))),
  };
}
