import type { Knex } from 'knex';

/**
 * The administrators' audit trail and the policies they set in the console.
 *
 * The audit log is append-only in the database itself: a trigger refuses every UPDATE and
 * TRUNCATE, and every DELETE except the retention job's, which marks its own transaction
 * (`set local atrium.audit_retention = 'on'`). A bug or an injected statement in the
 * application cannot rewrite who did what. Names are kept beside the ids, so an entry
 * still says whom it concerned after that account is deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_audit', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.uuid('actor_id');
    t.text('actor_username').notNullable();
    t.uuid('target_id');
    t.text('target_username');
    t.text('action').notNullable();
    t.text('ip');
    t.text('user_agent');
    t.jsonb('data').notNullable().defaultTo('{}');
  });
  await knex.raw('create index admin_audit_by_time on admin_audit (created_at)');
  await knex.raw('create index admin_audit_by_actor on admin_audit (actor_id, id)');
  await knex.raw('create index admin_audit_by_target on admin_audit (target_id, id)');
  await knex.raw('create index admin_audit_by_action on admin_audit (action, id)');
  await knex.raw(`
    create function admin_audit_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and coalesce(current_setting('atrium.audit_retention', true), '') = 'on' then
        return old;
      end if;
      raise exception 'admin_audit is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end
    $$`);
  await knex.raw('create trigger admin_audit_no_update_or_delete before update or delete on admin_audit for each row execute function admin_audit_append_only()');
  await knex.raw('create trigger admin_audit_no_truncate before truncate on admin_audit for each statement execute function admin_audit_append_only()');

  await knex.schema.createTable('admin_policies', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.uuid('updated_by');
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_policies');
  await knex.schema.dropTable('admin_audit');
  await knex.raw('drop function admin_audit_append_only()');
}
