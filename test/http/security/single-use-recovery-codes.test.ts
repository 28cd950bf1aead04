import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser, signedIn } from '../../helpers/factories';
import { atSecondStep, enrolTotp, isSignedIn } from '../../helpers/mfa';

const t = describeApp();

const SESSIONS = 6;

describe('A recovery code used by several sessions at the same moment', () => {
  it('signs exactly one of them in; the others are told the code is not right', async () => {
    const user = await createUser(t);
    const { codes } = await enrolTotp(t, await signedIn(t, user));
    const code = codes[0] as string;
    const browsers = await atOnce(SESSIONS, () => atSecondStep(t, user, '?method=recovery'));

    const answers = await atOnce(SESSIONS, (i) => {
      const { visitor, page } = browsers[i] as (typeof browsers)[number];
      return visitor.post('/login/2fa', { _csrf: csrfTokenIn(page), recovery_code: code });
    });

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 422)).toBe(SESSIONS - 1);
    for (const refused of answers.filter((a) => a.status === 422)) expect(refused.text).toContain('That recovery code is not right');
    const signedInNow = await Promise.all(browsers.map(({ visitor }) => isSignedIn(visitor)));
    expect(signedInNow.filter(Boolean)).toHaveLength(1);
    expect(await t.deps.db('security_events').where({ user_id: user.id, type: 'recovery_code_used' })).toHaveLength(1);
  });

  it('leaves the other codes usable, and the count of codes left is right afterwards', async () => {
    const user = await createUser(t);
    const { codes } = await enrolTotp(t, await signedIn(t, user));
    const browsers = await atOnce(3, () => atSecondStep(t, user, '?method=recovery'));
    await atOnce(3, (i) => {
      const { visitor, page } = browsers[i] as (typeof browsers)[number];
      return visitor.post('/login/2fa', { _csrf: csrfTokenIn(page), recovery_code: codes[1] as string });
    });

    const next = await atSecondStep(t, user, '?method=recovery');
    const res = await next.visitor.post('/login/2fa', { _csrf: csrfTokenIn(next.page), recovery_code: codes[2] as string });
    expect(res.status).toBe(303);
    expect((await next.visitor.get(res.headers.location as string)).text).toContain('8 codes are left');
    expect((await next.visitor.get('/profile/security')).text).toContain('8 of 10 codes left');
  });
});
