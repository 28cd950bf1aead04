import type { Knex } from 'knex';

/** A token may carry the admin scope (the console's API); the service grants it to administrators only. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table api_tokens drop constraint api_tokens_scope_check');
  await knex.raw(`alter table api_tokens add constraint api_tokens_scope_check check (scope in ('read', 'write', 'admin'))`);
}

/** Going back, an admin token becomes a write token: what it could do outside the console. */
export async function down(knex: Knex): Promise<void> {
  await knex('api_tokens').where({ scope: 'admin' }).update({ scope: 'write' });
  await knex.raw('alter table api_tokens drop constraint api_tokens_scope_check');
  await knex.raw(`alter table api_tokens add constraint api_tokens_scope_check check (scope in ('read', 'write'))`);
}
