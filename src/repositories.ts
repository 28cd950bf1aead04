import type { Knex } from 'knex';
import { createOneTimeTokensRepository } from './core/one-time-links/one-time-tokens.repository';
import { createOutboxRepository } from './infra/mailer/outbox.repository';
import { createAdvisoryLocksRepository } from './infra/advisory-locks.repository';
import { createAvatarsRepository } from './features/profile/avatars.repository';
import { createAuthenticatorsRepository } from './features/mfa/authenticators.repository';
import { createSecurityEventsRepository } from './core/security/security-events.repository';
import { createCredentialsRepository } from './features/credentials/credentials.repository';
import { createDeletedIdentitiesRepository } from './core/account-state/deleted-identities.repository';
import { createKnownDevicesRepository } from './core/security/known-devices.repository';
import { createUsersRepository } from './core/users/users.repository';

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
  };
}

export type BoundRepositories = ReturnType<typeof bind>;

/**
 * All repositories, plus transaction(): the callback gets the same repositories bound
 * to one transaction, so a change and everything it causes commit or fail together.
 * Inside the callback use only the repositories it is given (the embedded database
 * has one connection, held by the transaction).
 */
export interface Repositories extends BoundRepositories {
  transaction<T>(work: (tx: BoundRepositories) => Promise<T>): Promise<T>;
}

export function createRepositories(db: Knex): Repositories {
  return {
    ...bind(db),
    transaction: (work) => db.transaction((trx) => work(bind(trx))),
  };
}
