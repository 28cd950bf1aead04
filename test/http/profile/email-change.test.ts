import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const HOUR = 3_600_000;
const pathOf = (link: string) => new URL(link).pathname;

async function requestChange(visitor: Visitor, email: string) {
  const tab = await visitor.get('/profile/account');
  return visitor.post('/profile/account/email', { _csrf: csrfTokenIn(tab.text), email });
}

async function follow(link: string, visitor = new Visitor(t.app)) {
  const page = await visitor.get(pathOf(link));
  expect(page.status).toBe(200);
  return visitor.post(pathOf(link), { _csrf: csrfTokenIn(page.text) });
}

describe('Changing the primary email address', () => {
  it('changes nothing until the link sent to the new address is followed, then tells the old address with an undo link', async () => {
    const user = await createUser(t, { email: 'old@example.com' });
    const visitor = await signedIn(t, user);
    const res = await requestChange(visitor, 'New@Example.com');
    expect(res.headers.location).toBe('/profile/account');
    const tab = await visitor.get('/profile/account');
    expect(tab.text).toContain('Change to New@Example.com pending');
    expect((await t.repos.users.findById(user.id))?.email).toBe('old@example.com');

    await t.deliverMail();
    const verify = t.mail.last('new@example.com');
    expect(verify.subject).toBe('Confirm your new email address for Atrium');
    const link = linkIn(verify, 'http://localhost:3000/confirm-email/');

    const page = await visitor.get(pathOf(link));
    expect(page.text).toContain('Make New@Example.com the email address of your account.');
    expect((await t.repos.users.findById(user.id))?.email).toBe('old@example.com');

    const done = await visitor.post(pathOf(link), { _csrf: csrfTokenIn(page.text) });
    expect(done.headers.location).toBe('/profile/account');
    const after = await visitor.get('/profile/account');
    expect(after.text).toContain('Your email address is now New@Example.com.');
    expect(after.text).not.toContain('pending');
    const changed = await t.repos.users.findById(user.id);
    expect(changed?.email).toBe('New@Example.com');
    expect(changed?.emailVerifiedAt).not.toBeNull();

    await t.deliverMail();
    const notice = t.mail.last('old@example.com');
    expect(notice.subject).toBe('The email address of your Atrium account was changed');
    expect(notice.text).toContain('New@Example.com');
    expect(notice.text).toContain('The link works for 7 days.');
    expect(linkIn(notice, 'http://localhost:3000/undo-email-change/')).toBeTruthy();
    expect((await new Visitor(t.app).get(pathOf(link))).status).toBe(404);
  });

  it('the undo link from the old address puts it back and signs out everywhere', async () => {
    const user = await createUser(t, { email: 'keep@example.com' });
    const owner = await signedIn(t, user);
    const other = await signedIn(t, user);
    await requestChange(owner, 'thief@example.com');
    await t.deliverMail();
    await follow(linkIn(t.mail.last('thief@example.com'), 'http://localhost:3000/confirm-email/'));
    await t.deliverMail();
    const undoLink = linkIn(t.mail.last('keep@example.com'), 'http://localhost:3000/undo-email-change/');

    const page = await new Visitor(t.app).get(pathOf(undoLink));
    expect(page.text).toContain('back from thief@example.com to keep@example.com');
    const res = await follow(undoLink);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your email address is keep@example.com again and every session has been ended.');
    expect(res.text).toContain('href="/forgot-password"');
    expect((await t.repos.users.findById(user.id))?.email).toBe('keep@example.com');
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await owner.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await other.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await new Visitor(t.app).get(pathOf(undoLink))).status).toBe(404);
  });

  it('can be cancelled while pending; the link then does nothing', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await requestChange(visitor, 'cancel-me@example.com');
    await t.deliverMail();
    const link = linkIn(t.mail.last('cancel-me@example.com'), 'http://localhost:3000/confirm-email/');
    const tab = await visitor.get('/profile/account');
    await visitor.post('/profile/account/email/cancel', { _csrf: csrfTokenIn(tab.text) });
    expect((await visitor.get('/profile/account')).text).toContain('The pending change has been cancelled.');
    expect((await new Visitor(t.app).get(pathOf(link))).status).toBe(404);
  });

  it('the link expires after 24 hours', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await requestChange(visitor, 'slow@example.com');
    await t.deliverMail();
    const link = linkIn(t.mail.last('slow@example.com'), 'http://localhost:3000/confirm-email/');
    t.clock.advance(24 * HOUR + 60_000);
    const res = await new Visitor(t.app).get(pathOf(link));
    expect(res.status).toBe(404);
    expect(res.text).toContain('This link cannot be used');
  });

  it('never reveals that an address belongs to another account', async () => {
    const owner = await createUser(t, { email: 'taken@example.com' });
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await requestChange(visitor, 'TAKEN@example.com');
    expect(res.headers.location).toBe('/profile/account');
    const tab = await visitor.get('/profile/account');
    expect(tab.text).toContain('We sent a link to TAKEN@example.com. Follow it to complete the change.');
    expect(tab.text).toContain('Change to TAKEN@example.com pending');
    await t.deliverMail();
    const messages = t.mail.to('taken@example.com');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.subject).toBe('Someone tried to use your email address at Atrium');
    expect(messages[0]?.text).not.toContain('/confirm-email/');
    expect((await t.repos.users.findById(owner.id))?.email).toBe('taken@example.com');
  });

  it('refuses the current address and malformed ones', async () => {
    const user = await createUser(t, { email: 'same@example.com' });
    const visitor = await signedIn(t, user);
    const same = await requestChange(visitor, 'SAME@example.com');
    expect(same.status).toBe(422);
    expect(same.text).toContain('That is already your email address.');
    for (const bad of ['', 'nope', 'a@b\r\nBcc: c@d.com', `${'x'.repeat(300)}@example.com`]) {
      const res = await requestChange(visitor, bad);
      expect(res.status).toBe(422);
      expect(res.text).toContain('There is a problem');
    }
  });

  it('fails with its own page when the new address was taken by someone else before the click', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await requestChange(visitor, 'race@example.com');
    await t.deliverMail();
    const link = linkIn(t.mail.last('race@example.com'), 'http://localhost:3000/confirm-email/');
    await createUser(t, { email: 'race@example.com' });
    const res = await follow(link);
    expect(res.status).toBe(404);
    expect(res.text).toContain('This link cannot be used');
  });
});

describe('The recovery email address', () => {
  it('is verified by a link, and then receives the password reset links', async () => {
    const user = await createUser(t, { email: 'main@example.com', emailVerified: true });
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/account');
    const res = await visitor.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(tab.text), recovery_email: 'backup@example.net' });
    expect(res.headers.location).toBe('/profile/account');
    expect((await visitor.get('/profile/account')).text).toContain('Waiting for confirmation');

    await t.deliverMail();
    const message = t.mail.last('backup@example.net');
    expect(message.subject).toBe('Confirm your recovery address for Atrium');

    await t.services.passwordReset.requestReset({ email: 'main@example.com' }, { ip: '192.0.2.1', userAgent: '', locale: 'en' });
    await t.deliverMail();
    expect(t.mail.to('backup@example.net').filter((m) => m.subject.includes('Reset'))).toHaveLength(0);

    await follow(linkIn(message, 'http://localhost:3000/confirm-recovery-email/'), visitor);
    expect((await visitor.get('/profile/account')).text).toContain('backup@example.net is now your recovery address.');
    await t.services.passwordReset.requestReset({ email: 'main@example.com' }, { ip: '192.0.2.1', userAgent: '', locale: 'en' });
    await t.deliverMail();
    expect(t.mail.last('backup@example.net').subject).toBe('Reset your Atrium password');
  });

  it('must differ from the primary address, and can be removed', async () => {
    const user = await createUser(t, { email: 'only@example.com', emailVerified: true });
    const visitor = await signedIn(t, user);
    let tab = await visitor.get('/profile/account');
    const same = await visitor.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(tab.text), recovery_email: 'ONLY@example.com' });
    expect(same.status).toBe(422);
    expect(same.text).toContain('Use a different address from your main one.');
    await visitor.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(same.text), recovery_email: 'second@example.com' });
    tab = await visitor.get('/profile/account');
    await visitor.post('/profile/account/recovery-email/remove', { _csrf: csrfTokenIn(tab.text) });
    expect((await visitor.get('/profile/account')).text).toContain('No recovery address yet.');
    expect((await t.repos.users.findById(user.id))?.recoveryEmail).toBeNull();
  });
});
