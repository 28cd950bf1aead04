import type { Knex } from 'knex';

/**
 * When a person was last mailed that two-step verification is required of them: that mail
 * goes once per time the policy starts applying to them, and a conditional update of this
 * column, not a lookup, decides which of two simultaneous sign-ins sends it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('two_step_notice_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('two_step_notice_at');
  });
}
