import type { Knex } from 'knex';

/**
 * The console's list of people, fast at a million accounts: when each last signed in, and
 * the indexes its searches and sorts use.
 *
 * Searches are case-insensitive prefixes (`lower(col) like 'ana%'`): `text_pattern_ops`
 * lets PostgreSQL find them in an index under any collation. Each sort has an index
 * ending in `id`, the tie-breaker, so a page after a keyset cursor (`(key, id) > (...)`) is
 * one index range however deep it is. "Never signed in" sorts as the oldest sign-in
 * (`-infinity`), so that sort has no NULLs to page around. The rare states (locked,
 * administrators, a directory source) have partial indexes, so a filter on them does not
 * walk every account to find a few.
 */
const INDEXES: Array<[name: string, definition: string]> = [
  ['users_search_username', '(lower(username) text_pattern_ops)'],
  ['users_search_email', '(lower(email) text_pattern_ops)'],
  ['users_search_first_name', '(lower(first_name) text_pattern_ops)'],
  ['users_search_last_name', '(lower(last_name) text_pattern_ops)'],
  ['users_search_full_name', "(lower(first_name || ' ' || last_name) text_pattern_ops)"],
  ['users_sort_name', "(lower(first_name || ' ' || last_name), id)"],
  ['users_sort_created', '(created_at, id)'],
  ['users_sort_last_sign_in', "(coalesce(last_sign_in_at, '-infinity'::timestamptz), id)"],
  ['users_locked', '(id) where locked_at is not null'],
  ['users_admins', "(id) where role = 'admin'"],
  ['users_from_directory', "(source, id) where source <> 'local'"],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('last_sign_in_at', { useTz: true });
  });
  await knex.raw(`
    update users set last_sign_in_at = latest.at
    from (select user_id, max(created_at) as at from security_events where type = 'sign_in' group by user_id) latest
    where latest.user_id = users.id`);
  for (const [name, definition] of INDEXES) await knex.raw(`create index ${name} on users ${definition}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index ${name}`);
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('last_sign_in_at');
  });
}
