import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { totpAt } from '../../helpers/totp';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

const t = describeApp();

describe('Skipping a step', () => {
  it('a second-factor code sent without the password step signs nobody in', async () => {
    const user = await createUser(t);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    t.clock.advance(30_000);

    const visitor = new Visitor(t.app);
    const page = await visitor.get('/login');
    const res = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: totpAt(secret, t.clock.now()) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    const passkey = await visitor.agent.post('/login/2fa/passkey').set('X-CSRF-Token', csrfTokenIn(page.text)).set('Accept', 'application/json').send({});
    expect(passkey.status).toBe(409);
    expect(passkey.body.error.code).toBe('sign_in_expired');
  });

  it('turning on the authenticator app without being shown its secret is refused with words, and shows a fresh secret', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/security');
    const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(tab.text), code: '123456' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The setup started again');
    expect(res.text).toMatch(/<svg[^>]*viewBox/);
    expect(await t.deps.db('authenticators').where({ user_id: user.id })).toEqual([]);
  });

  it('registering a passkey without asking for its challenge first is refused, and nothing is stored', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/security');
    const res = await visitor.agent
      .post('/profile/security/passkeys')
      .set('X-CSRF-Token', csrfTokenIn(tab.text))
      .set('Accept', 'application/json')
      .send({ response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('passkey_failed');
    expect(await t.deps.db('authenticators').where({ user_id: user.id })).toEqual([]);
  });

  it('a half-finished sign-in opens no page and no API call until the second step is done', async () => {
    const user = await createUser(t);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    const visitor = new Visitor(t.app);
    const halfway = await visitor.submit('/login', { identifier: user.username, password: user.password });
    expect(halfway.headers.location).toBe('/login/2fa');
    for (const path of ['/profile/account', '/profile/security', '/profile/tokens', '/reauth']) expect({ path, location: (await visitor.get(path)).headers.location }).toEqual({ path, location: expect.stringMatching(/^\/login/) });
    const api = await visitor.agent.get('/api/v1/users/me').set('Accept', 'application/json');
    expect(api.status).toBe(401);
  });
});
