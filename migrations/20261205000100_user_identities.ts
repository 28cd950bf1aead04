import type { Knex } from 'knex';

/**
 * Identities at OpenID providers connected to an account. A person is recognised by the
 * provider's issuer and subject, never by an email address; only display claims are kept,
 * never a provider's tokens, so nothing here can be replayed against the provider.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_identities', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('issuer').notNullable();
    t.text('subject').notNullable();
    t.text('email');
    t.text('display_name');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.unique(['issuer', 'subject']);
    // One identity per provider and account: a second would make "which one signs me in" a puzzle.
    t.unique(['user_id', 'provider']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_identities');
}
