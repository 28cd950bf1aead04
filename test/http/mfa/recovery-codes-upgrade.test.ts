import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { atSecondStep, enrolTotp } from '../../helpers/mfa';
import { createRecoveryCodeHasher } from '../../../src/features/mfa/recovery-codes';

const t = describeApp();

const MIGRATION = '20261123001100_single_use';

describe('Recovery codes saved before the upgrade that gives each code its own row', () => {
  it('keep working once each after it, and go back into the old list when the upgrade is rolled back', async () => {
    const user = await createUser(t);
    await enrolTotp(t, await signedIn(t, user));
    const db = t.deps.db;
    await db.migrate.down({ name: MIGRATION });

    // The old shape: the codes as a JSON list in the set's authenticators row.
    const hasher = createRecoveryCodeHasher(4);
    const usedBefore = 'aaaaa-11111';
    const unused = 'bbbbb-22222';
    const set = await db('authenticators').where({ user_id: user.id, type: 'recovery_codes' }).first();
    const oldList = { codes: [{ hash: await hasher.hash(usedBefore), usedAt: '2026-01-02T03:04:05.000Z' }, { hash: await hasher.hash(unused), usedAt: null }] };
    await db('authenticators').where({ id: set.id }).update({ data: JSON.stringify(oldList) });

    await db.migrate.up({ name: MIGRATION });
    const rows = await db('recovery_codes').where({ set_id: set.id }).orderBy('code_hash');
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.used_at !== null).map((r) => new Date(r.used_at).toISOString())).toEqual(['2026-01-02T03:04:05.000Z']);

    const first = await atSecondStep(t, user, '?method=recovery');
    expect((await first.visitor.post('/login/2fa', { _csrf: csrfTokenIn(first.page), recovery_code: usedBefore })).status).toBe(422);
    expect((await first.visitor.post('/login/2fa', { _csrf: csrfTokenIn(first.page), recovery_code: unused })).status).toBe(303);
    const second = await atSecondStep(t, user, '?method=recovery');
    expect((await second.visitor.post('/login/2fa', { _csrf: csrfTokenIn(second.page), recovery_code: unused })).status).toBe(422);

    await db.migrate.down({ name: MIGRATION });
    const restored = (await db('authenticators').where({ id: set.id }).first()).data as typeof oldList;
    expect(restored.codes).toHaveLength(2);
    expect(restored.codes.every((c) => typeof c.usedAt === 'string' && !Number.isNaN(Date.parse(c.usedAt)))).toBe(true);
    expect(restored.codes.map((c) => c.hash).sort()).toEqual(oldList.codes.map((c) => c.hash).sort());
    await db.migrate.up({ name: MIGRATION });
  });
});
