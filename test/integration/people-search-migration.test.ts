import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const t = describeApp();

const MIGRATION = '20261204000200_people_search';

describe('Migrating to the console list of people', () => {
  it('fills in when each person last signed in from the activity log already kept, and rolls back cleanly', async () => {
    const [often, never] = [await createUser(t), await createUser(t)];
    await t.deps.db.migrate.down({ name: MIGRATION });
    expect(await t.deps.db.schema.hasColumn('users', 'last_sign_in_at')).toBe(false);
    const at = (iso: string) => ({ user_id: often.id, ip: '127.0.0.1', user_agent: 'test', created_at: new Date(iso) });
    await t.deps.db('security_events').insert([
      { ...at('2026-03-01T10:00:00Z'), type: 'sign_in' },
      { ...at('2026-05-01T10:00:00Z'), type: 'sign_in' },
      // Neither a failed sign-in nor a sign-out counts.
      { ...at('2026-06-01T10:00:00Z'), type: 'sign_in_failed' },
      { ...at('2026-06-02T10:00:00Z'), type: 'sign_out' },
    ]);

    await t.deps.db.migrate.up({ name: MIGRATION });
    const rows = await t.deps.db('users').whereIn('id', [often.id, never.id]).select('id', 'last_sign_in_at');
    const byId = Object.fromEntries(rows.map((row: { id: string; last_sign_in_at: Date | null }) => [row.id, row.last_sign_in_at]));
    expect(new Date(byId[often.id] as Date).toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(byId[never.id]).toBeNull();
  });
});
