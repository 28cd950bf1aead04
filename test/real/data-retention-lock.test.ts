import { createDb } from '../../src/infra/db';
import { createAdvisoryLocksRepository } from '../../src/infra/advisory-locks.repository';
import { RETENTION_LOCK } from '../../src/features/retention/data-retention.service';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const t = describeApp();

/** Runs on PostgreSQL only: the embedded database serves one process, so it has nobody to wait for. */
describe('Data retention across processes', () => {
  it('runs in one process at a time: while another holds the lock it deletes nothing, afterwards it does', async () => {
    const user = await createUser(t);
    await t.repos.events.record({ userId: user.id, type: 'signed_in', now: new Date(t.clock.now().getTime() - 500 * 86_400_000) });
    const otherProcess = createDb({ databaseUrl: t.config.databaseUrl });
    try {
      await otherProcess.transaction(async (trx) => {
        expect(await createAdvisoryLocksRepository(trx).tryLock(RETENTION_LOCK)).toBe(true);
        expect(await t.services.dataRetention.purge()).toBeUndefined();
        expect(await t.deps.db('security_events').where({ user_id: user.id })).toHaveLength(1);
      });
      expect(await t.services.dataRetention.purge()).toMatchObject({ activity: 1 });
      expect(await t.deps.db('security_events').where({ user_id: user.id })).toHaveLength(0);
    } finally {
      await otherProcess.destroy();
    }
  });
});
