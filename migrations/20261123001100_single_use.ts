import type { Knex } from 'knex';

/**
 * Single use made plain. Recovery codes move out of the JSON list in their set's
 * authenticators row into one row each, so that using one is a single conditional
 * UPDATE of its row. `single_use_claims` records one-off values (WebAuthn challenges)
 * that must be taken at most once across all processes, when there is no Redis.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('recovery_codes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('set_id').notNullable().references('authenticators.id').onDelete('CASCADE');
    t.text('code_hash').notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['set_id']);
  });
  await knex.raw(`
    insert into recovery_codes (set_id, code_hash, used_at)
    select a.id, c.value->>'hash', (c.value->>'usedAt')::timestamptz
    from authenticators a cross join lateral jsonb_array_elements(coalesce(a.data->'codes', '[]'::jsonb)) as c(value)
    where a.type = 'recovery_codes'`);
  await knex('authenticators').where({ type: 'recovery_codes' }).update({ data: '{}' });

  await knex.schema.createTable('single_use_claims', (t) => {
    t.text('key').primary();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('single_use_claims');
  await knex.raw(`
    update authenticators a set data = jsonb_build_object('codes', coalesce((
      select jsonb_agg(jsonb_build_object('hash', r.code_hash, 'usedAt', to_char(r.used_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      from recovery_codes r where r.set_id = a.id), '[]'::jsonb))
    where a.type = 'recovery_codes'`);
  await knex.schema.dropTable('recovery_codes');
}
