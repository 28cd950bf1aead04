import type { TestApp } from './app';

/** Every table with a foreign key to users, from the database's own catalogue (so a new table cannot be forgotten). */
export async function tablesReferencingUsers(t: TestApp): Promise<Array<{ table: string; column: string }>> {
  const result = await t.deps.db.raw(`
    select cl.relname as "table", att.attname as "column"
    from pg_constraint con
    join pg_class cl on cl.oid = con.conrelid
    join pg_attribute att on att.attrelid = con.conrelid and att.attnum = any(con.conkey)
    where con.contype = 'f' and con.confrelid = 'users'::regclass`);
  return (result.rows ?? result) as Array<{ table: string; column: string }>;
}
