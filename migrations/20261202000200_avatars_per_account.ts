import type { Knex } from 'knex';

/**
 * Avatars are content-addressed per account: two accounts may hold the same picture (the
 * same hash), each in its own row, so removing one never takes the other's away. Any row
 * with a hash serves that URL: equal hashes are equal images.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('avatars', (t) => {
    t.dropUnique(['content_hash']);
    t.index(['content_hash']);
  });
}

/**
 * Back to one row per hash: of accounts sharing a picture, the earliest upload keeps its
 * row and serves the URL for all of them (their users.avatar_hash is left as it is).
 */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from avatars a using avatars b
    where a.content_hash = b.content_hash
      and (a.updated_at, a.user_id) > (b.updated_at, b.user_id)`);
  await knex.schema.alterTable('avatars', (t) => {
    t.dropIndex(['content_hash']);
    t.unique(['content_hash']);
  });
}
