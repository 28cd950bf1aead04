import type { Knex } from 'knex';

/**
 * Usernames and addresses of deleted accounts stay reserved for DELETED_RESERVE_DAYS, so
 * that nobody can sign up as someone who just left. Stored as SHA-256 digests of the
 * lower-cased values: the deleted person's details do not stay behind in readable form.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deleted_identities', (t) => {
    t.text('digest').primary();
    t.timestamp('reserved_until', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('deleted_identities');
}
