import type { Knex } from 'knex';
import { migrations, migrationSource } from '../../migrations';
import { createDb, migrateLatest, migrateRollback, migrateRollbackAll, type Db } from '../../src/infra/db';
import { backend, createTestDatabase } from '../helpers/app';

const names = Object.keys(migrations);

/** Everything a migration can create in the public schema, as comparable text (knex's own tables aside). */
async function schemaOf(db: Db): Promise<string[]> {
  const own = `not in ('knex_migrations', 'knex_migrations_lock')`;
  const queries = [
    `select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') as item
       from information_schema.columns where table_schema = 'public' and table_name ${own}`,
    `select 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as item
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public' and c.conrelid::regclass::text ${own}`,
    `select 'index ' || indexdef as item from pg_indexes where schemaname = 'public' and tablename ${own}`,
    `select 'sequence ' || sequence_name as item from information_schema.sequences where sequence_schema = 'public' and sequence_name not like 'knex_migrations%'`,
    `select 'type ' || t.typname as item from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typtype in ('e', 'd')`,
    `select 'function ' || p.proname as item from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`,
  ];
  const items: string[] = [];
  for (const sql of queries) items.push(...((await db.raw(sql)) as { rows: { item: string }[] }).rows.map((row) => row.item));
  return items.sort();
}

/** The same migrations, limited to the first `count` (to apply them as a batch of their own). */
const firstOnly = (count: number): Knex.MigrationSource<string> => ({
  ...migrationSource,
  getMigrations: async () => names.slice(0, count),
});

// Each test migrates a dozen times; the embedded database takes its time on a busy machine.
jest.setTimeout(180_000);

let db: Db;
let drop: () => Promise<void> = async () => {};

beforeEach(async () => {
  if (backend === 'real') {
    const database = await createTestDatabase();
    db = createDb({ databaseUrl: database.url });
    drop = () => database.drop();
  } else {
    db = createDb({ embeddedDir: 'memory' });
  }
});
afterEach(async () => {
  await db.destroy();
  await drop();
});

describe('Database migrations', () => {
  it('migrate:rollback undoes only the last batch, one batch at a time', async () => {
    const split = Math.ceil(names.length / 2);
    await db.migrate.latest({ migrationSource: firstOnly(split) });
    const afterFirstBatch = await schemaOf(db);
    expect(await migrateLatest(db)).toEqual(names.slice(split));

    expect(await migrateRollback(db)).toEqual(names.slice(split).reverse());
    expect(await schemaOf(db)).toEqual(afterFirstBatch);
    expect(await db.schema.hasTable('users')).toBe(true);

    expect(await migrateRollback(db)).toEqual(names.slice(0, split).reverse());
    expect(await schemaOf(db)).toEqual([]);
    expect(await migrateRollback(db)).toEqual([]);
  });

  it("every migration's down undoes exactly what its up did", async () => {
    const snapshots = [await schemaOf(db)];
    for (const name of names) {
      const [, applied] = (await db.migrate.up()) as [number, string[]];
      expect(applied).toEqual([name]);
      snapshots.push(await schemaOf(db));
      expect(snapshots.at(-1)).not.toEqual(snapshots.at(-2));
    }
    for (const name of [...names].reverse()) {
      const [, reverted] = (await db.migrate.down()) as [number, string[]];
      expect(reverted).toEqual([name]);
      snapshots.pop();
      expect(await schemaOf(db)).toEqual(snapshots.at(-1));
    }
    expect(await schemaOf(db)).toEqual([]);
  });

  it('rolling everything back and migrating again, twice, leaves the same working schema', async () => {
    await migrateLatest(db);
    const fresh = await schemaOf(db);
    for (let round = 0; round < 2; round++) {
      expect(await migrateRollbackAll(db)).toEqual([...names].reverse());
      expect(await schemaOf(db)).toEqual([]);
      expect(await migrateLatest(db)).toEqual(names);
      expect(await schemaOf(db)).toEqual(fresh);
    }
    const [user] = await db('users')
      .insert({ username: 'ada', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', created_at: new Date(), updated_at: new Date() })
      .returning('id');
    await db('security_events').insert({ user_id: user.id, type: 'sign_in', ip: '127.0.0.1', user_agent: 'test', created_at: new Date() });
    expect(await db('security_events').where({ user_id: user.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
