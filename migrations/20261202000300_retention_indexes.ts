import type { Knex } from 'knex';

/** Data retention finds old rows by time: an index for each time it asks about. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('security_events', (t) => t.index(['created_at']));
  await knex.schema.alterTable('known_devices', (t) => t.index(['last_seen_at']));
  await knex.schema.alterTable('one_time_tokens', (t) => {
    t.index(['used_at']);
    t.index(['expires_at']);
  });
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.index(['sent_at']);
    t.index(['failed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropIndex(['failed_at']);
    t.dropIndex(['sent_at']);
  });
  await knex.schema.alterTable('one_time_tokens', (t) => {
    t.dropIndex(['expires_at']);
    t.dropIndex(['used_at']);
  });
  await knex.schema.alterTable('known_devices', (t) => t.dropIndex(['last_seen_at']));
  await knex.schema.alterTable('security_events', (t) => t.dropIndex(['created_at']));
}
