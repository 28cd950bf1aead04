// The Password tab of an account made through an identity provider: it has no password
// to change, so the tab offers the emailed link to set one, and a change is refused in words.
import request from 'supertest';
import { Visitor } from '../../helpers/browser-agent';
import { describeAppWithProviders, signInWithProvider } from '../../helpers/identity-providers';
import { linkIn } from '../../helpers/mail-catcher';
import { GOOD_PASSWORD } from '../../helpers/factories';

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }], {}, { mail: true });

let count = 0;

/** An account without a password, connected to Corp SSO, signed in through it in a browser. */
async function providerAccount(language: 'en' | 'de' = 'en') {
  count += 1;
  const sub = `np-${count}`;
  const user = await t.repos.users.insert({ username: `nopw${count}`, email: `nopw${count}@example.com`, firstName: 'Nora', lastName: 'Nopass', passwordHash: null, language, theme: null, now: t.clock.now(), source: 'oidc', emailVerifiedAt: t.clock.now() });
  await t.providers.corp!.addAccount({ sub, email: user.email, email_verified: true });
  await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: sub, email: user.email, displayName: null, now: t.clock.now() });
  const visitor = new Visitor(t.app, undefined, language);
  expect((await signInWithProvider(visitor, 'corp', { sub })).headers.location).toBe('/');
  return { user, visitor };
}

describe('The Password tab of an account without a password', () => {
  it('says so instead of asking for a current password, and its link sets one', async () => {
    const { user, visitor } = await providerAccount();
    const tab = await visitor.get('/profile/password');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Set a password');
    expect(tab.text).toContain('Your account has no password: you sign in with an identity provider or a passkey.');
    expect(tab.text).not.toContain('name="current_password"');
    expect(tab.text).toMatch(/<form method="post" action="\/profile\/connections\/set-password"[\s\S]*?name="next" value="\/profile\/password"[\s\S]*?Email me a link to set a password/);

    const sent = await visitor.post('/profile/connections/set-password', { _csrf: visitor.csrf(), next: '/profile/password' });
    expect(sent.headers.location).toBe('/profile/password');
    expect((await visitor.get('/profile/password')).text).toContain(`We sent a link to ${user.email}.`);
    await t.deliverMail();
    const link = new URL(linkIn(t.mail.last(user.email), 'http://localhost:3000/reset-password/'));
    await visitor.get(link.pathname);
    expect((await visitor.post(link.pathname, { _csrf: visitor.csrf(), password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD })).headers.location).toBe('/login');

    const signedInAgain = new Visitor(t.app);
    expect((await signedInAgain.submit('/login', { identifier: user.username, password: GOOD_PASSWORD })).status).toBe(303);
    const now = await signedInAgain.get('/profile/password');
    expect(now.text).toContain('name="current_password"');
    expect(now.text).not.toContain('Email me a link to set a password');
  });

  it('refuses a password change (409, translated) whatever the form sends, and changes nothing', async () => {
    const { user, visitor } = await providerAccount();
    await visitor.get('/profile/password');
    const _csrf = visitor.csrf();
    const bodies: Array<Record<string, string | string[]>> = [
      {},
      { current_password: '', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD },
      { current_password: 'anything', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD },
      { current_password: 'x'.repeat(5000), password: 'y'.repeat(5000), password_confirm: 'z' },
      { current_password: ['a', 'b'], password: ['c'], password_confirm: GOOD_PASSWORD },
      { current_password: '<script>alert(1)</script>', password: '"><img src=x onerror=alert(2)>', password_confirm: '\u0000' },
    ];
    for (const body of bodies) {
      const res = await visitor.post('/profile/password', { _csrf, ...body });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Your account has no password to change. Ask for a link to set one below.');
      expect(res.text).toContain('Email me a link to set a password');
      expect(res.text).not.toContain('<script>alert(1)');
    }
    expect((await t.repos.users.findById(user.id))?.passwordHash).toBeNull();
    expect((await visitor.get('/profile/password')).status).toBe(200);
  });

  it('in German too', async () => {
    const { visitor } = await providerAccount('de');
    const tab = await visitor.get('/profile/password');
    expect(tab.text).toContain('Ihr Konto hat kein Passwort');
    const res = await visitor.post('/profile/password', { _csrf: visitor.csrf(), current_password: 'x', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ihr Konto hat kein Passwort, das geändert werden könnte.');
  });

  it('PUT /api/v1/users/me/password answers 409 no_password, before any password is checked, from a session or a token', async () => {
    const { user, visitor } = await providerAccount();
    await visitor.get('/profile/password');
    for (const body of [{}, { current_password: 'guess', password: GOOD_PASSWORD }, { current_password: 7, password: ['x'] }, { current_password: 'a'.repeat(5000), password: 'b' }]) {
      const res = await visitor.agent.put('/api/v1/users/me/password').set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf()).send(body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'no_password' });
      expect(res.body.error.message).toBe('Your account has no password to change. Ask for a link to set one below.');
    }
    const { secret } = await t.services.apiTokens.create(user, { name: 'script', scope: 'write', expires: '30' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' });
    const byToken = await request(t.app).put('/api/v1/users/me/password').set('Authorization', `Bearer ${secret}`).send({ current_password: 'guess', password: GOOD_PASSWORD });
    expect({ status: byToken.status, code: byToken.body.error?.code }).toEqual({ status: 409, code: 'no_password' });
    expect((await t.repos.users.findById(user.id))?.passwordHash).toBeNull();
  });
});
