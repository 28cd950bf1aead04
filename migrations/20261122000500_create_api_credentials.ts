import type { Knex } from 'knex';

/** Personal access tokens, app passwords and SSH keys: digests and public halves only. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.text('last_four').notNullable();
    t.text('scope').notNullable();
    t.jsonb('allowed_ips');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.text('last_used_ip');
    t.text('last_used_agent');
    t.jsonb('known_ips').notNullable().defaultTo('[]');
    t.timestamp('reminded_at', { useTz: true });
    t.index(['user_id']);
    t.index(['expires_at']);
  });
  await knex.raw(`alter table api_tokens add constraint api_tokens_scope_check check (scope in ('read', 'write'))`);
  await knex.schema.createTable('app_passwords', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('password_hash').notNullable().unique();
    t.text('scope').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.text('last_used_ip');
    t.text('last_used_agent');
    t.index(['user_id']);
  });
  await knex.raw(`alter table app_passwords add constraint app_passwords_scope_check check (scope in ('read', 'write'))`);
  await knex.schema.createTable('ssh_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('key_type').notNullable();
    t.integer('bits').notNullable();
    // The same key can belong to one account only.
    t.text('fingerprint').notNullable().unique();
    t.text('public_key').notNullable();
    t.text('comment').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ssh_keys');
  await knex.schema.dropTable('app_passwords');
  await knex.schema.dropTable('api_tokens');
}
