import type { Knex } from 'knex';

/**
 * Second factors and passkeys. TOTP secrets are encrypted with DATA_KEY; recovery codes
 * are bcrypt digests; passkeys keep their public key and signature counter. users.mfa_enabled
 * mirrors "has a second factor" so that a page view can know it from the user row alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('authenticators', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('type').notNullable();
    t.text('name');
    t.jsonb('data').notNullable();
    // A passkey's credential id (base64url), looked up at passwordless sign-in.
    t.text('credential_id').unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.index(['user_id', 'type']);
  });
  await knex.raw(`alter table authenticators add constraint authenticators_type_check check (type in ('totp', 'recovery_codes', 'passkey'))`);
  await knex.raw(`create unique index authenticators_one_totp on authenticators (user_id) where type = 'totp'`);
  await knex.raw(`create unique index authenticators_one_code_set on authenticators (user_id) where type = 'recovery_codes'`);
  await knex.schema.alterTable('users', (t) => {
    t.boolean('mfa_enabled').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('security_events', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('type').notNullable();
    t.text('ip');
    t.text('user_agent');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['user_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('security_events');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('mfa_enabled');
  });
  await knex.schema.dropTable('authenticators');
}
