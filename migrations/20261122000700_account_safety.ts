import type { Knex } from 'knex';

/**
 * Account safety: the devices an account has signed in from (by a digest of their
 * long-lived random cookie, for the new-device notice), whether the owner wants that
 * notice, the lockdown flag that demands a password reset before the next sign-in, the
 * activity filter's index, and a queue order for mail.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('known_devices', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('device_hash').notNullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.unique(['user_id', 'device_hash']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.boolean('notify_new_device').notNullable().defaultTo(true);
    t.boolean('password_reset_required').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('security_events', (t) => {
    t.index(['user_id', 'type', 'id']);
  });
  // More mail per change now (notices beside the change's own mail): queue order breaks ties in time.
  await knex.raw('alter table mail_outbox add column seq bigserial');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table mail_outbox drop column seq');
  await knex.schema.alterTable('security_events', (t) => {
    t.dropIndex(['user_id', 'type', 'id']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('password_reset_required');
    t.dropColumn('notify_new_device');
  });
  await knex.schema.dropTable('known_devices');
}
