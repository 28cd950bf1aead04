import type { Knex } from 'knex';

/**
 * Two accounts may upload the very same picture: its content hash (the URL it is served
 * at) is no longer unique, only indexed for serving. Going back fails while two accounts
 * share a picture.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('avatars', (t) => {
    t.dropUnique(['content_hash']);
    t.index(['content_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('avatars', (t) => {
    t.dropIndex(['content_hash']);
    t.unique(['content_hash']);
  });
}
