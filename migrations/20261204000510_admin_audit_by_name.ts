import type { Knex } from 'knex';

/**
 * The audit log is filtered by the names it keeps (an administrator, a person), which
 * outlive the accounts; usernames compare case-insensitively, so the indexes are on lower().
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index admin_audit_by_actor_name on admin_audit (lower(actor_username), id)');
  await knex.raw('create index admin_audit_by_target_name on admin_audit (lower(target_username), id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index admin_audit_by_target_name');
  await knex.raw('drop index admin_audit_by_actor_name');
}
