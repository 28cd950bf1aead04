import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser, signedIn } from '../../helpers/factories';
import { atSecondStep, enrolTotp, isSignedIn } from '../../helpers/mfa';
import { secretOnPage, totpAt } from '../../helpers/totp';

const t = describeApp();

const REQUESTS = 6;
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

describe('One authenticator code sent by several requests at the same moment', () => {
  it('signs exactly one session in at /login/2fa', async () => {
    const user = await createUser(t);
    const { secret } = await enrolTotp(t, await signedIn(t, user));
    const browsers = await atOnce(REQUESTS, () => atSecondStep(t, user));
    const code = totpAt(secret, t.clock.now());

    const answers = await atOnce(REQUESTS, (i) => {
      const { visitor, page } = browsers[i] as (typeof browsers)[number];
      return visitor.post('/login/2fa', { _csrf: csrfTokenIn(page), code });
    });

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 422)).toBe(REQUESTS - 1);
    expect((await Promise.all(browsers.map(({ visitor }) => isSignedIn(visitor)))).filter(Boolean)).toHaveLength(1);
  });

  it('confirms identity for exactly one step-up at /reauth', async () => {
    const user = await createUser(t);
    const sessions = await atOnce(REQUESTS + 1, () => signedIn(t, user));
    const { secret } = await enrolTotp(t, sessions[0] as Visitor);
    t.clock.advance(11 * 60_000);
    const waiting = sessions.slice(1);
    const prompts = await Promise.all(waiting.map((visitor) => visitor.get('/reauth?next=/profile/account')));
    const code = totpAt(secret, t.clock.now());

    const answers = await atOnce(REQUESTS, (i) => (waiting[i] as Visitor).post('/reauth', { _csrf: csrfTokenIn((prompts[i] as { text: string }).text), password: user.password, code, next: '/profile/account' }));

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 422)).toBe(REQUESTS - 1);
  });

  it('authorises exactly one sensitive API call (a new token needs the password and a code)', async () => {
    const user = await createUser(t);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    t.clock.advance(30_000);
    const { secret: bearer } = await t.services.apiTokens.create({ ...user, mfaEnabled: true }, { name: 'script', scope: 'write', expires: '30' }, ctx);
    const code = totpAt(secret, t.clock.now());

    const answers = await atOnce(REQUESTS, (i) =>
      request(t.app)
        .post('/api/v1/users/me/tokens')
        .set('Authorization', `Bearer ${bearer}`)
        .send({ name: `attempt ${i}`, scope: 'read', expires_in_days: 7, current_password: user.password, code }),
    );

    expect(countStatus(answers, 201)).toBe(1);
    expect(countStatus(answers, 422)).toBe(REQUESTS - 1);
    expect(await t.deps.db('api_tokens').where({ user_id: user.id })).toHaveLength(2);
  });

  it('turns the authenticator app on once when the setup form is sent twice at once, and the second is told it is on', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const setup = await visitor.get('/profile/security/totp');
    const code = totpAt(secretOnPage(setup.text), t.clock.now());

    const answers = await atOnce(2, () => visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code }));

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 422)).toBe(1);
    expect(await t.deps.db('authenticators').where({ user_id: user.id, type: 'totp' })).toHaveLength(1);
    expect(await t.deps.db('security_events').where({ user_id: user.id, type: 'mfa_enabled' })).toHaveLength(1);
  });
});
