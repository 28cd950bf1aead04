import { describeApp } from '../../helpers/app';
import { Visitor, USER_AGENTS } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp({}, { mail: true });

const NEW_DEVICE = 'New sign-in to your Atrium account';
const subjects = async (email: string) => {
  await t.deliverMail();
  return t.mail.to(email).map((m) => m.subject);
};

describe('The new-device notice', () => {
  it('is mailed on the first sign-in from a fresh cookie jar, not on the second', async () => {
    const user = await createUser(t);
    const browser = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    const notices = (await subjects(user.email)).filter((s) => s === NEW_DEVICE);
    expect(notices).toHaveLength(1);
    const mail = t.mail.to(user.email).find((m) => m.subject === NEW_DEVICE);
    expect(mail?.text).toContain('Firefox 133');
    expect(mail?.text).toContain(`${t.config.baseUrl.origin}/not-me/`);

    // Same browser (same device cookie), signed out and in again: no mail.
    const page = await browser.get('/profile/account');
    await browser.post('/logout', { _csrf: browser.csrf() });
    expect(page.status).toBe(200);
    const again = await browser.submit('/login', { identifier: user.username, password: user.password });
    expect(again.status).toBe(303);
    expect((await subjects(user.email)).filter((s) => s === NEW_DEVICE)).toHaveLength(1);

    // Another browser is another device, whatever its address.
    await signedIn(t, user, USER_AGENTS.iphoneSafari);
    expect((await subjects(user.email)).filter((s) => s === NEW_DEVICE)).toHaveLength(2);
  });

  it('is not sent for the browser that created the account', async () => {
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/signup', { first_name: 'Nina', last_name: 'Nikolić', email: 'nina-new-device@example.com', username: 'nina_new_device', password: 'quiet harbour lantern 58', password_confirm: 'quiet harbour lantern 58' });
    expect(res.status).toBe(303);
    expect(await subjects('nina-new-device@example.com')).not.toContain(NEW_DEVICE);
  });

  it('can be muted on the Preferences tab; critical notices cannot', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const prefs = await visitor.get('/profile/preferences');
    expect(prefs.text).toContain('Email me when my account is signed in to from a new device or browser');
    expect(prefs.text).toMatch(/name="new_device" value="on" checked/);
    expect(prefs.text).toContain('are always sent');
    const muted = await visitor.post('/profile/preferences/notices', { _csrf: visitor.csrf() });
    expect(muted.status).toBe(303);
    expect((await visitor.get('/profile/preferences')).text).not.toMatch(/name="new_device" value="on" checked/);
    const before = (await subjects(user.email)).filter((s) => s === NEW_DEVICE).length;
    await signedIn(t, user, USER_AGENTS.iphoneSafari);
    expect((await subjects(user.email)).filter((s) => s === NEW_DEVICE)).toHaveLength(before);
    // The sign-in is still in the activity log, marked as a new device.
    const page = await visitor.get('/profile/activity');
    expect(page.text).toContain('with password · new device');

    // Critical notices go out regardless.
    await visitor.submit('/profile/tokens', { name: 'Still told', scope: 'read', expires: '7' });
    expect(await subjects(user.email)).toContain('A personal access token was created for your Atrium account');

    await visitor.get('/profile/preferences');
    const wrongType = await visitor.post('/profile/preferences/notices', { _csrf: visitor.csrf(), new_device: ['on', 'on'] });
    expect(wrongType.status).toBe(422);
    const unmute = await visitor.post('/profile/preferences/notices', { _csrf: visitor.csrf(), new_device: 'on' });
    expect(unmute.status).toBe(303);
    expect((await t.repos.users.findById(user.id))?.notifyNewDevice).toBe(true);
  });
});
