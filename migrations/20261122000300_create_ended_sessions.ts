import type { Knex } from 'knex';

/**
 * Why a session ended (signed out from another device, password changed, ...), kept
 * briefly by session handle so that the device can be told when it next comes back.
 * Only the SQL session store uses it; with Redis these are keys with a TTL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ended_sessions', (t) => {
    t.text('handle').primary();
    t.text('reason').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ended_sessions');
}
