import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const DAY = 86_400_000;
const ctx = { ip: '203.0.113.7', userAgent: 'curl/8.5.0', locale: 'en' as const };
const notMePath = (link: string) => new URL(link).pathname;

/** Someone adds an SSH key in the owner's name; the owner's notice carries the link. */
async function noticeLink(user: { email: string; username: string; password: string }): Promise<string> {
  const visitor = await signedIn(t, user);
  const res = await visitor.submit('/profile/tokens', { name: 'Mallory', scope: 'write', expires: '30' });
  expect(res.status).toBe(303);
  await t.deliverMail();
  const notice = t.mail.to(user.email).find((m) => m.subject === 'A personal access token was created for your Atrium account');
  if (!notice) throw new Error('no notice');
  expect(notice.text).toContain("This wasn't me");
  expect(notice.html).toContain("This wasn&#39;t me");
  return linkIn(notice, `${t.config.baseUrl.origin}/not-me/`);
}

describe('"This wasn\'t me" in a security notice', () => {
  it('locks the account down in one step: sessions end, tokens fail, sign-in waits for a reset, the link works once', async () => {
    const user = await createUser(t);
    const laptop = await signedIn(t, user);
    const phone = await signedIn(t, user);
    const { secret } = await t.services.apiTokens.create(user, { name: 'Script', scope: 'read', expires: '30' }, ctx);
    const { secret: appPassword } = await t.services.appPasswords.create(user, { name: 'Mail', scope: 'read' }, ctx);
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`)).status).toBe(200);
    const link = await noticeLink(user);

    // Opening the link changes nothing (mail scanners open links).
    const stranger = new Visitor(t.app);
    const page = await stranger.get(notMePath(link));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Secure your account');
    expect(page.text).toContain(user.username);
    expect((await laptop.get('/profile/account')).status).toBe(200);

    const done = await stranger.post(notMePath(link), { _csrf: csrfTokenIn(page.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your account is secured');
    expect(done.text).toContain(user.email);

    // Both browsers are signed out; token and app password fail.
    expect((await laptop.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await phone.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(0);
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`)).status).toBe(401);
    const basic = Buffer.from(`${user.username}:${appPassword}`).toString('base64');
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', `Basic ${basic}`)).status).toBe(401);

    // The old password no longer opens the account, not even with the right password.
    const attempt = await new Visitor(t.app).submit('/login', { identifier: user.username, password: GOOD_PASSWORD });
    expect(attempt.status).toBe(403);
    expect(attempt.text).toContain('this account needs a new password before anyone can sign in');

    // The link works once.
    const again = await stranger.get(notMePath(link));
    expect(again.status).toBe(404);
    expect(again.text).toContain("A &#34;This wasn&#39;t me&#34; link works once and for 7 days.");

    // The reset link went to the owner; after the reset, signing in works again.
    await t.deliverMail();
    const reset = t.mail.to(user.email).find((m) => m.subject === 'Reset your Atrium password');
    if (!reset) throw new Error('no reset mail');
    const resetPath = new URL(linkIn(reset, `${t.config.baseUrl.origin}/reset-password/`)).pathname;
    const chooser = new Visitor(t.app);
    const chosen = await chooser.submit(resetPath, { password: 'a brand new passphrase 42', password_confirm: 'a brand new passphrase 42' });
    expect(chosen.status).toBe(303);
    const back = await new Visitor(t.app).submit('/login', { identifier: user.username, password: 'a brand new passphrase 42' });
    expect(back.status).toBe(303);

    const events = (await t.deps.db('security_events').where({ user_id: user.id }).orderBy('id')).map((e: { type: string }) => e.type);
    expect(events).toContain('lockdown');
    expect(events.indexOf('password_reset')).toBeGreaterThan(events.indexOf('lockdown'));
  });

  it('sends the reset link to the verified recovery address when there is one', async () => {
    const user = await createUser(t);
    await t.deps.db('users').where({ id: user.id }).update({ recovery_email: `safe-${user.email}`, recovery_email_verified_at: new Date() });
    const link = await noticeLink(user);
    const visitor = new Visitor(t.app);
    const shown = await visitor.get(notMePath(link));
    expect((await visitor.post(notMePath(link), { _csrf: csrfTokenIn(shown.text) })).text).toContain(`safe-${user.email}`);
    await t.deliverMail();
    expect(t.mail.to(`safe-${user.email}`).map((m) => m.subject)).toContain('Reset your Atrium password');
  });

  it('refuses an expired or tampered link with its own page', async () => {
    const user = await createUser(t);
    const link = await noticeLink(user);
    const tampered = `${notMePath(link).slice(0, -3)}${notMePath(link).endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const bad = await new Visitor(t.app).get(tampered);
    expect(bad.status).toBe(404);
    expect(bad.text).toContain("link works once and for 7 days");
    expect((await new Visitor(t.app).get('/not-me/not-a-token')).status).toBe(404);
    t.clock.advance(7 * DAY + 60_000);
    const expired = await new Visitor(t.app).get(notMePath(link));
    expect(expired.status).toBe(404);
    const nothingChanged = await t.repos.users.findById(user.id);
    expect(nothingChanged?.passwordResetRequired).toBe(false);
  });

  it('is in every kind of notice: password changed, email changed, new device', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.submit('/profile/password', { current_password: user.password, password: 'another fine passphrase 9', password_confirm: 'another fine passphrase 9' });
    await t.deliverMail();
    const changed = t.mail.to(user.email).find((m) => m.subject === 'Your Atrium password was changed');
    if (!changed) throw new Error(`no password mail: ${t.mail.to(user.email).map((m) => m.subject).join(' | ')}`);
    expect(changed.text).toContain(`${t.config.baseUrl.origin}/not-me/`);
  });
});
