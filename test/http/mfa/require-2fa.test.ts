import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';

const t = describeApp({ REQUIRE_2FA: 'true' });

describe('With REQUIRE_2FA=true', () => {
  it('sends a person without a second factor to set one up, and lets them reach nothing else until done', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    for (const path of ['/', '/profile/account', '/profile/sessions']) {
      const res = await visitor.get(path);
      expect(res.headers.location).toBe('/profile/security');
    }
    const tab = await visitor.get('/profile/security');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Your organisation requires a second step at sign-in.');
    const forged = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: 'X', last_name: 'Y' });
    expect(forged.status).toBe(403);

    const setup = await visitor.get('/profile/security/totp');
    await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secretOnPage(setup.text), t.clock.now()) });
    const codes = await visitor.get('/profile/security/recovery-codes');
    await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });

  it('still lets them sign out', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/security');
    const res = await visitor.post('/logout', { _csrf: csrfTokenIn(tab.text) });
    expect(res.headers.location).toBe('/login?signed_out=1');
  });
});
