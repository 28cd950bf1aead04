import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser, signedIn } from '../../helpers/factories';
import { enrolTotp } from '../../helpers/mfa';

const t = describeApp();

describe('"Generate new codes" pressed several times at once (a double click)', () => {
  it('replaces the codes each time without an error, and the account ends up with one set of ten', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { codes: before } = await enrolTotp(t, visitor);
    const tab = await visitor.get('/profile/security');

    const answers = await atOnce(3, () => visitor.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text) }));

    expect(countStatus(answers, 303)).toBe(3);
    const sets = await t.deps.db('authenticators').where({ user_id: user.id, type: 'recovery_codes' });
    expect(sets).toHaveLength(1);
    expect(await t.deps.db('recovery_codes').where({ set_id: sets[0].id }).whereNull('used_at')).toHaveLength(10);
    const shown = await visitor.get('/profile/security/recovery-codes');
    const now = [...shown.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]);
    expect(now).toHaveLength(10);
    expect(now.filter((code) => before.includes(code as string))).toEqual([]);
  });
});
