import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';

const STEP = 30_000;

const t = describeApp();

const signedInStill = async (visitor: Visitor) => (await visitor.get('/profile/account')).status === 200;

/** Another device signing in with the password and, when the app is on, a current code. */
async function anotherDevice(user: { username: string; password: string }, secret?: string): Promise<Visitor> {
  const device = new Visitor(t.app);
  const res = await device.submit('/login', { identifier: user.username, password: user.password });
  if (res.headers.location === '/login/2fa') {
    t.clock.advance(STEP);
    const prompt = await device.get('/login/2fa');
    await device.post('/login/2fa', { _csrf: csrfTokenIn(prompt.text), code: totpAt(secret as string, t.clock.now()) });
  }
  expect(await signedInStill(device)).toBe(true);
  return device;
}

const offersSignOutOthers = (html: string, action: string) =>
  new RegExp(`<form method="post" action="${action.replace(/\//g, '\\/')}"[^>]*>[\\s\\S]*?name="sign_out_others" value="on" checked[\\s\\S]*?</form>`).test(html);

describe('Changing the second factor', () => {
  it('turning the app on, new recovery codes and turning the app off each offer to sign out the other devices, ticked, and do so', async () => {
    const user = await createUser(t);
    const here = await signedIn(t, user);
    let elsewhere = await anotherDevice(user);

    const setup = await here.get('/profile/security/totp');
    expect(offersSignOutOthers(setup.text, '/profile/security/totp')).toBe(true);
    const secret = secretOnPage(setup.text);
    await here.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()), sign_out_others: 'on' });
    const codes = await here.get('/profile/security/recovery-codes');
    await here.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
    expect(await signedInStill(elsewhere)).toBe(false);
    expect(await signedInStill(here)).toBe(true);

    elsewhere = await anotherDevice(user, secret);
    let tab = await here.get('/profile/security');
    expect(offersSignOutOthers(tab.text, '/profile/security/recovery-codes')).toBe(true);
    await here.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text), sign_out_others: 'on' });
    expect(await signedInStill(elsewhere)).toBe(false);
    expect(await signedInStill(here)).toBe(true);

    elsewhere = await anotherDevice(user, secret);
    const shown = await here.get('/profile/security/recovery-codes');
    await here.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(shown.text), saved: 'on' });
    tab = await here.get('/profile/security');
    expect(offersSignOutOthers(tab.text, '/profile/security/totp/disable')).toBe(true);
    t.clock.advance(STEP);
    await here.post('/profile/security/totp/disable', { _csrf: csrfTokenIn(tab.text), code: totpAt(secret, t.clock.now()), sign_out_others: 'on' });
    expect(await t.repos.authenticators.findTotp(user.id)).toBeFalsy();
    expect(await signedInStill(elsewhere)).toBe(false);
    expect(await signedInStill(here)).toBe(true);
  });

  it('leaves the other devices signed in when the box is unticked', async () => {
    const user = await createUser(t);
    const here = await signedIn(t, user);
    const elsewhere = await anotherDevice(user);
    const setup = await here.get('/profile/security/totp');
    await here.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secretOnPage(setup.text), t.clock.now()) });
    expect(await t.repos.authenticators.findTotp(user.id)).toBeTruthy();
    expect(await signedInStill(elsewhere)).toBe(true);
  });
});
