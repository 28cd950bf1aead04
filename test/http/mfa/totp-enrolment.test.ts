import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';

const t = describeApp({ SESSION_IDLE_MINUTES: '240' });

describe('Setting up an authenticator app', () => {
  it('shows the same secret when the setup page is opened again, and takes a code for it', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const first = secretOnPage((await visitor.get('/profile/security/totp')).text);
    const again = await visitor.get('/profile/security/totp');
    expect(secretOnPage(again.text)).toBe(first);
    const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(again.text), code: totpAt(first, t.clock.now()) });
    expect(res.headers.location).toBe('/profile/security/recovery-codes');
  });

  it('starts over with a new secret when the setup page was opened more than an hour ago', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const setup = await visitor.get('/profile/security/totp');
    const secret = secretOnPage(setup.text);
    t.clock.advance(61 * 60_000);
    const prompt = await visitor.get('/reauth?next=%2Fprofile%2Fsecurity');
    await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: user.password, next: '/profile/security' });
    const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(prompt.text), code: totpAt(secret, t.clock.now()) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The setup started again. Scan the new QR code');
    expect(secretOnPage(res.text)).not.toBe(secret);
    expect((await t.repos.users.findById(user.id))?.mfaEnabled).toBe(false);
  });

  it("never confirms a setup begun for someone else's account", async () => {
    const owner = await createUser(t);
    const other = await createUser(t);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(owner);
    const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
    await expect(t.services.mfa.enableTotp(other, sealed, totpAt(secret, t.clock.now()), ctx, false)).rejects.toMatchObject({ fields: { code: { key: 'mfa.errors.setupRestarted' } } });
    expect((await t.repos.users.findById(other.id))?.mfaEnabled).toBe(false);
  });
});
