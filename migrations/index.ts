import type { Knex } from 'knex';
import * as createUsers from './20261121000100_create_users';
import * as createSessions from './20261121000200_create_sessions';
import * as createOneTimeTokens from './20261121000300_create_one_time_tokens';
import * as createRateLimits from './20261121000400_create_rate_limits';
import * as createMailOutbox from './20261122000100_create_mail_outbox';
import * as createAvatars from './20261122000200_create_avatars';
import * as createEndedSessions from './20261122000300_create_ended_sessions';
import * as createAuthenticators from './20261122000400_create_authenticators';
import * as createApiCredentials from './20261122000500_create_api_credentials';
import * as createDeletedIdentities from './20261122000600_create_deleted_identities';
import * as accountSafety from './20261122000700_account_safety';
import * as singleUse from './20261123001100_single_use';
import * as mailOutboxLeaseToken from './20261202000100_mail_outbox_lease_token';
import * as avatarsPerAccount from './20261202000200_avatars_per_account';
import * as retentionIndexes from './20261202000300_retention_indexes';
import * as mailOutboxLinkExpiry from './20261203000100_mail_outbox_link_expiry';
import * as adminAuditAndPolicies from './20261204000100_admin_audit_and_policies';
import * as peopleSearch from './20261204000200_people_search';
import * as twoStepNotices from './20261204000500_two_step_notices';
import * as adminAuditByName from './20261204000510_admin_audit_by_name';
import * as apiTokensAdminScope from './20261204000520_api_tokens_admin_scope';
import * as userIdentities from './20261205000100_user_identities';
import * as openidProvider from './20261206000100_openid_provider';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed here rather than discovered on disk, so the same list runs from
 * TypeScript sources (tests, tsx) and from the compiled build. A test checks that every
 * file in this folder is listed.
 */
export const migrations: Record<string, Migration> = {
  '20261121000100_create_users': createUsers,
  '20261121000200_create_sessions': createSessions,
  '20261121000300_create_one_time_tokens': createOneTimeTokens,
  '20261121000400_create_rate_limits': createRateLimits,
  '20261122000100_create_mail_outbox': createMailOutbox,
  '20261122000200_create_avatars': createAvatars,
  '20261122000300_create_ended_sessions': createEndedSessions,
  '20261122000400_create_authenticators': createAuthenticators,
  '20261122000500_create_api_credentials': createApiCredentials,
  '20261122000600_create_deleted_identities': createDeletedIdentities,
  '20261122000700_account_safety': accountSafety,
  '20261123001100_single_use': singleUse,
  '20261202000100_mail_outbox_lease_token': mailOutboxLeaseToken,
  '20261202000200_avatars_per_account': avatarsPerAccount,
  '20261202000300_retention_indexes': retentionIndexes,
  '20261203000100_mail_outbox_link_expiry': mailOutboxLinkExpiry,
  '20261204000100_admin_audit_and_policies': adminAuditAndPolicies,
  '20261204000200_people_search': peopleSearch,
  '20261204000500_two_step_notices': twoStepNotices,
  '20261204000510_admin_audit_by_name': adminAuditByName,
  '20261204000520_api_tokens_admin_scope': apiTokensAdminScope,
  '20261205000100_user_identities': userIdentities,
  '20261206000100_openid_provider': openidProvider,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return Promise.resolve(migration);
  },
};
