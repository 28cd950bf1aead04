import type { Knex } from 'knex';

/**
 * This service as an OpenID Provider for other applications: the applications
 * administrators registered, the provider library's records (grants, codes, tokens,
 * sessions, interactions: one table through its adapter interface), and the signing keys,
 * encrypted with DATA_KEY so that every process signs with the same ones.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_clients', (t) => {
    t.text('client_id').primary();
    t.text('name').notNullable();
    // Encrypted with DATA_KEY: the library compares the presented secret with it.
    t.text('secret_ciphertext');
    t.jsonb('redirect_uris').notNullable();
    t.jsonb('post_logout_redirect_uris').notNullable().defaultTo('[]');
    t.boolean('public').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('oidc_payloads', (t) => {
    t.text('model').notNullable();
    t.text('id').notNullable();
    t.jsonb('payload').notNullable();
    // Whose it is: an account's grants and tokens go with its lock or deletion at once.
    t.uuid('account_id').references('users.id').onDelete('CASCADE');
    t.text('client_id').references('oidc_clients.client_id').onDelete('CASCADE');
    t.text('grant_id');
    t.text('uid');
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('consumed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    // On a grant: when the application last received a token under it.
    t.timestamp('last_used_at', { useTz: true });
    t.primary(['model', 'id']);
    t.index(['grant_id']);
    t.index(['account_id', 'model']);
    t.index(['uid']);
    t.index(['expires_at']);
  });
  await knex.schema.createTable('oidc_signing_keys', (t) => {
    t.text('kid').primary();
    t.text('alg').notNullable();
    t.text('private_jwk_ciphertext').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    // Published from creation; signs from activation (after every process has loaded it).
    t.timestamp('activates_at', { useTz: true }).notNullable();
    // Set when a newer key takes over; still published until its tokens have expired.
    t.timestamp('retires_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_signing_keys');
  await knex.schema.dropTable('oidc_payloads');
  await knex.schema.dropTable('oidc_clients');
}
