import type { Knex } from 'knex';

/**
 * Each claim of a queued message gets its own lease token: only the worker that holds
 * the current lease may record the outcome, so a worker whose lease ran out cannot
 * overwrite what the worker that took the message over has done.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.uuid('lease_token');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropColumn('lease_token');
  });
}
