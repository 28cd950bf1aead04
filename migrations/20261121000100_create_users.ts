import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('username').notNullable();
    t.text('email').notNullable();
    t.timestamp('email_verified_at', { useTz: true });
    t.text('recovery_email');
    t.timestamp('recovery_email_verified_at', { useTz: true });
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('password_hash');
    t.text('language');
    t.text('theme');
    t.text('role').notNullable().defaultTo('user');
    t.text('source').notNullable().defaultTo('local');
    t.timestamp('locked_at', { useTz: true });
    t.timestamp('password_changed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table users add constraint users_role_check check (role in ('user', 'admin'))`);
  await knex.raw(`alter table users add constraint users_source_check check (source in ('local', 'ldap', 'oidc'))`);
  await knex.raw('create unique index users_username_unique on users (lower(username))');
  await knex.raw('create unique index users_email_unique on users (lower(email))');
  // The username is the stable public handle (SSH key URLs, audit trails): it never changes.
  await knex.raw(`
    create function users_username_immutable() returns trigger language plpgsql as $$
    begin
      if new.username is distinct from old.username then
        raise exception 'username is immutable' using errcode = 'check_violation';
      end if;
      return new;
    end $$`);
  await knex.raw(`
    create trigger users_username_immutable before update of username on users
    for each row execute function users_username_immutable()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
  await knex.raw('drop function if exists users_username_immutable()');
}
