import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config';
import { OPERATOR, createAdminAuditRepository } from '../../src/features/admin/admin-audit.repository';

const DAY = 86_400_000;

const t = describeApp({ AUDIT_RETENTION_DAYS: '30' });

const ago = (ms: number) => new Date(t.clock.now().getTime() - ms);
const actions = async () => (await t.deps.db('admin_audit').orderBy('id').select('action')).map((row) => row.action as string);

describe('Audit log retention', () => {
  it('keeps AUDIT_RETENTION_DAYS (365 unless set, 1 to 3650), refusing anything else by name', () => {
    expect(defaultConfig().retention.auditDays).toBe(365);
    for (const value of ['0', '3651', '30d', '-1', ' ']) {
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(/AUDIT_RETENTION_DAYS/);
    }
  });

  it('the retention job deletes entries older than the period and keeps the recent ones, whoever they concern', async () => {
    await t.deps.db.transaction(async (trx) => {
      await trx.raw("set local atrium.audit_retention = 'on'");
      await trx('admin_audit').del();
    });
    const admin = await createUser(t, { admin: true });
    const person = await createUser(t);
    await t.repos.adminAudit.record({ actor: admin, target: person, action: 'user_locked', now: ago(31 * DAY) });
    await t.repos.adminAudit.record({ actor: OPERATOR, target: person, action: 'two_step_reset', now: ago(30 * DAY + 60_000) });
    await t.repos.adminAudit.record({ actor: admin, target: person, action: 'user_unlocked', now: ago(30 * DAY - 60_000) });
    await t.repos.adminAudit.record({ actor: OPERATOR, action: 'policy_changed', now: ago(DAY) });

    expect(await t.services.dataRetention.purge()).toMatchObject({ adminAudit: 2 });
    expect(await actions()).toEqual(['user_unlocked', 'policy_changed']);
    expect(await t.services.dataRetention.purge()).toMatchObject({ adminAudit: 0 });

    t.clock.advance(30 * DAY);
    expect(await t.services.dataRetention.purge()).toMatchObject({ adminAudit: 2 });
    expect(await actions()).toEqual([]);
  });

  it('nothing else can delete: the retention delete does not leave its transaction able to', async () => {
    const admin = await createUser(t, { admin: true });
    await t.repos.adminAudit.record({ actor: admin, action: 'role_changed', now: t.clock.now() });
    const before = await actions();
    expect(before).toContain('role_changed');
    // Inside one transaction: the retention delete, then an ordinary one, which the trigger still refuses.
    await expect(
      t.deps.db.transaction(async (trx) => {
        await createAdminAuditRepository(trx).deleteOlderThan(ago(DAY), 100);
        await trx('admin_audit').where({ actor_id: admin.id }).del();
      }),
    ).rejects.toThrow(/append-only/);
    // And outside any: the retention repository's own delete, then the application's.
    await t.repos.adminAudit.deleteOlderThan(ago(DAY), 100);
    await expect(t.deps.db('admin_audit').where({ actor_id: admin.id }).del()).rejects.toThrow(/append-only/);
    await expect(t.deps.db('admin_audit').where({ actor_id: admin.id }).update({ action: 'nothing' })).rejects.toThrow(/append-only/);
    expect(await actions()).toEqual(before);
  });
});
