import type { Knex } from 'knex';

/**
 * Avatars live in the database (web processes keep nothing on disk), re-encoded as small
 * WebP images. users.avatar_hash names the current one, so that a page view reads it
 * with the user and needs no second query.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('avatars', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('content_hash').notNullable().unique();
    t.text('mime').notNullable();
    t.binary('bytes').notNullable();
    t.binary('small_bytes').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.alterTable('users', (t) => {
    t.text('avatar_hash');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('avatar_hash');
  });
  await knex.schema.dropTable('avatars');
}
