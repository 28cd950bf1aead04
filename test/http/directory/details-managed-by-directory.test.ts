import { csrfTokenIn, Visitor } from '../../helpers/browser-agent';
import { describeDirectoryApp } from '../../helpers/directory-app';
import { signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';
import { linkIn } from '../../helpers/mail-catcher';
import { atSecondStep, enrolTotp, isSignedIn } from '../../helpers/mfa';
import { totpAt } from '../../helpers/totp';
import { DIRECTORY_PEOPLE } from '../../helpers/slapd';
import { PasswordInDirectoryError } from '../../../src/features/password/password-changes';

const { ada, alan } = DIRECTORY_PEOPLE;
const MINUTE = 60_000;
const CHANGE_URL = 'https://id.example.org/password';

describe('A person from the directory: details, password and two-step are the directory’s', () => {
  const { t } = describeDirectoryApp({ LDAP_PASSWORD_CHANGE_URL: CHANGE_URL }, { mail: true });

  it('shows names, addresses and picture read-only on the Account tab, and refuses forged posts with 403', async () => {
    const visitor = await signedIn(t, { username: ada.uid, password: ada.password });
    const tab = await visitor.get('/profile/account');
    expect(tab.text).toContain('Managed by your organisation&#39;s directory');
    expect(tab.text).not.toContain('action="/profile/account/name"');
    expect(tab.text).not.toContain('action="/profile/account/email"');
    const token = csrfTokenIn(tab.text);
    const posts = {
      name: await visitor.post('/profile/account/name', { _csrf: token, first_name: 'Forged', last_name: 'Name' }),
      email: await visitor.post('/profile/account/email', { _csrf: token, email: 'forged@example.com' }),
      recovery: await visitor.post('/profile/account/recovery-email', { _csrf: token, recovery_email: 'forged@example.com' }),
      avatar: await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', token).attach('avatar', await solidPng(), { filename: 'a.png', contentType: 'image/png' }),
    };
    for (const [name, res] of Object.entries(posts)) {
      expect({ name, status: res.status }).toEqual({ name, status: 403 });
      expect(res.text).toContain('Managed by your organisation&#39;s directory');
    }
    expect(await t.repos.users.findByUsername(ada.uid)).toMatchObject({ firstName: 'Ada', email: ada.email, recoveryEmail: null, avatarHash: null });
  });

  it('explains on the Password tab that the password is changed in the directory, with the link, and refuses a change', async () => {
    const visitor = await signedIn(t, { username: ada.uid, password: ada.password });
    const tab = await visitor.get('/profile/password');
    expect(tab.text).toContain('you sign in with the directory&#39;s password');
    expect(tab.text).toContain(`href="${CHANGE_URL}"`);
    expect(tab.text).not.toContain('name="current_password"');
    const res = await visitor.post('/profile/password', { _csrf: csrfTokenIn(tab.text), current_password: ada.password, password: 'a brand new passphrase', password_confirm: 'a brand new passphrase' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your password is managed by your organisation&#39;s directory');
    const user = await t.repos.users.findByUsername(ada.uid);
    await expect(t.services.passwordChange.change(user!, { current_password: ada.password, password: 'x'.repeat(20), password_confirm: 'x'.repeat(20) }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' })).rejects.toBeInstanceOf(PasswordInDirectoryError);
    expect((await t.repos.users.findByUsername(ada.uid))?.passwordHash).toBeNull();
  });

  it('answers “forgot password” as for anyone, but mails a directory person where to change it, and no reset link', async () => {
    await signedIn(t, { username: alan.uid, password: alan.password });
    const visitor = new Visitor(t.app);
    const form = await visitor.get('/forgot-password');
    expect(form.text).toContain('If your account comes from your organisation&#39;s directory');
    const res = await visitor.post('/forgot-password', { _csrf: csrfTokenIn(form.text), email: alan.email });
    expect(res.status).toBe(200);
    expect(res.text).toContain(alan.email);
    await t.deps.background.drain();
    await t.deliverMail();
    const mail = t.mail.last(alan.email);
    expect(mail.subject).toBe("Your Atrium password is changed in your organisation's directory");
    expect(mail.text).toContain(CHANGE_URL);
    expect(mail.text).not.toContain('/reset-password/');
  });

  it('takes the directory password for a fresh sign-in before a sensitive change', async () => {
    const visitor = await signedIn(t, { username: ada.uid, password: ada.password });
    t.clock.advance(11 * MINUTE);
    const prompt = await visitor.get('/reauth?next=%2Fprofile%2Fsessions');
    expect(prompt.text).toContain('name="password"');
    const wrong = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: 'not her password', next: '/profile/sessions' });
    expect(wrong.status).toBe(422);
    const ok = await visitor.post('/reauth', { _csrf: csrfTokenIn(wrong.text), password: ada.password, next: '/profile/sessions' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/profile/sessions');
  });

  it('lets them turn on this service’s two-step verification by default, which their sign-in then asks for', async () => {
    const visitor = await signedIn(t, { username: alan.uid, password: alan.password });
    const tab = await visitor.get('/profile/security');
    expect(tab.text).toContain('href="/profile/security/totp"');
    expect(tab.text).not.toContain('provides two-step verification for your account');
    const { secret } = await enrolTotp(t, visitor);
    const { visitor: next, page } = await atSecondStep(t, { username: alan.uid, password: alan.password });
    const done = await next.post('/login/2fa', { _csrf: csrfTokenIn(page), code: totpAt(secret, t.clock.now()) });
    expect(done.status).toBe(303);
    expect(await isSignedIn(next)).toBe(true);
  });
});

describe('With LDAP_ALLOW_LOCAL_2FA=false, the directory provides two-step verification', () => {
  const { t } = describeDirectoryApp({ LDAP_ALLOW_LOCAL_2FA: 'false', REQUIRE_2FA: 'everyone', TWO_STEP_GRACE_DAYS: '0' });

  it('offers no setup, refuses a forged one with 403, and never demands it of them', async () => {
    const visitor = await signedIn(t, { username: ada.uid, password: ada.password });
    const tab = await visitor.get('/profile/security');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Your organisation&#39;s directory provides two-step verification for your account');
    expect(tab.text).not.toContain('href="/profile/security/totp"');
    expect(tab.text).not.toContain('data-passkey="register"');
    const setup = await visitor.get('/profile/security/totp');
    expect(setup.status).toBe(403);
    const options = await visitor.agent.post('/profile/security/passkeys/options').set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(tab.text)).send({});
    expect(options.status).toBe(403);
    expect(options.body.error.code).toBe('two_step_in_directory');
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });
});

describe('“This wasn’t me” for a person from the directory', () => {
  const { t } = describeDirectoryApp({}, { mail: true });

  it('ends sessions and tokens, mails where to change the directory password, and does not shut them out', async () => {
    const browser = await signedIn(t, { username: ada.uid, password: ada.password });
    const created = await browser.submit('/profile/tokens', { name: 'Mallory', scope: 'write', expires: '30' });
    expect(created.status).toBe(303);
    await t.deliverMail();
    const notice = t.mail.to(ada.email).find((m) => m.subject === 'A personal access token was created for your Atrium account');
    const link = new URL(linkIn(notice!, `${t.config.baseUrl.origin}/not-me/`)).pathname;
    const stranger = new Visitor(t.app);
    const page = await stranger.get(link);
    expect((await stranger.post(link, { _csrf: csrfTokenIn(page.text) })).status).toBe(200);
    expect((await browser.get('/profile/account')).headers.location).toMatch(/^\/login/);
    const user = await t.repos.users.findByUsername(ada.uid);
    expect(user?.passwordResetRequired).toBe(false);
    await t.deliverMail();
    expect(t.mail.last(ada.email).text).not.toContain('/reset-password/');
    expect(t.mail.to(ada.email).some((m) => m.subject === "Your Atrium password is changed in your organisation's directory")).toBe(true);
    expect((await new Visitor(t.app).submit('/login', { identifier: ada.uid, password: ada.password })).status).toBe(303);
  });
});
