import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const t = describeApp();

describe('The administrators\' audit log', () => {
  it('is append-only in the database: an UPDATE, a DELETE or a TRUNCATE from the application is refused', async () => {
    const admin = await createUser(t, { admin: true });
    await t.repos.adminAudit.record({ actor: admin, action: 'policy_changed', data: { key: 'signup' }, now: t.clock.now() });
    const rows = () => t.deps.db('admin_audit').where({ actor_id: admin.id });
    expect(await rows()).toHaveLength(1);
    await expect(rows().update({ action: 'nothing_happened' })).rejects.toThrow(/append-only/);
    await expect(rows().del()).rejects.toThrow(/append-only/);
    await expect(t.deps.db.raw('truncate admin_audit')).rejects.toThrow(/append-only/);
    expect((await rows())[0]).toMatchObject({ action: 'policy_changed', actor_username: admin.username });
  });

  it('lets only the retention job delete, in a transaction marked as such', async () => {
    const admin = await createUser(t, { admin: true });
    await t.repos.adminAudit.record({ actor: admin, action: 'user_locked', now: t.clock.now() });
    await t.deps.db.transaction(async (trx) => {
      await trx.raw("set local atrium.audit_retention = 'on'");
      await trx('admin_audit').where({ actor_id: admin.id }).del();
    });
    expect(await t.deps.db('admin_audit').where({ actor_id: admin.id })).toHaveLength(0);
  });
});
