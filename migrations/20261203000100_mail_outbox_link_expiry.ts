import type { Knex } from 'knex';

/**
 * A message whose link has a lifetime knows when the link dies and where to ask for a new
 * one, so a message held back by a mail-server outage is not delivered with a dead link.
 * Messages to one recipient go out in queue order: the index finds an earlier pending one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.timestamp('link_expires_at', { useTz: true });
    t.text('renew_link');
  });
  await knex.raw('create index mail_outbox_pending_by_recipient on mail_outbox ("to", seq) where sent_at is null and failed_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index mail_outbox_pending_by_recipient');
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropColumn('renew_link');
    t.dropColumn('link_expires_at');
  });
}
