import type { Knex } from 'knex';

/** Mail waiting to be sent: written in the same transaction as the change that causes it. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_outbox', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('to').notNullable();
    t.text('template').notNullable();
    t.text('locale').notNullable();
    // The template's data, encrypted with DATA_KEY (it may hold one-time links); cleared once sent.
    t.text('data');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw('create index mail_outbox_due on mail_outbox (next_attempt_at) where sent_at is null and failed_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_outbox');
}
