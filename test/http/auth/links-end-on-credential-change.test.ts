// A link mailed before the email address or the password changed must not outlive the change.
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const ORIGIN = 'http://localhost:3000';
const NEW_PASSWORD = 'lantern pebble saffron 93';
const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const pathOf = (link: string) => new URL(link).pathname;
const ctx = { ip: '192.0.2.1', userAgent: 'test', locale: 'en' as const };

async function lastLink(to: string, prefix: string): Promise<string> {
  await t.deliverMail();
  return pathOf(linkIn(t.mail.last(to), `${ORIGIN}${prefix}`));
}

async function follow(path: string, visitor = new Visitor(t.app)) {
  const page = await visitor.get(path);
  expect(page.status).toBe(200);
  return visitor.post(path, { _csrf: csrfTokenIn(page.text) });
}

async function changeEmail(visitor: Visitor, email: string) {
  const tab = await visitor.get('/profile/account');
  expect((await visitor.post('/profile/account/email', { _csrf: csrfTokenIn(tab.text), email })).status).toBe(303);
  await follow(await lastLink(email, '/confirm-email/'));
}

async function changePassword(visitor: Visitor, current: string) {
  const tab = await visitor.get('/profile/password');
  const res = await visitor.post('/profile/password', { _csrf: csrfTokenIn(tab.text), current_password: current, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
  expect(res.status).toBe(303);
}

async function expectDead(path: string) {
  const res = await new Visitor(t.app).get(path);
  expect(res.status).toBe(404);
  expect(res.text).toContain('This link cannot be used');
}

describe('Confirming a new email address', () => {
  it('ends the password reset links that were sent to the old address', async () => {
    const user = await createUser(t, { email: 'before-move@example.com', emailVerified: true });
    await t.services.passwordReset.requestReset({ email: user.email }, ctx);
    const reset = await lastLink(user.email, '/reset-password/');
    await changeEmail(await signedIn(t, user), 'after-move@example.com');
    await expectDead(reset);
  });

  it('ends the link that would verify the recovery address', async () => {
    const user = await createUser(t, { emailVerified: true });
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/account');
    await visitor.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(tab.text), recovery_email: 'spare-box@example.net' });
    const confirm = await lastLink('spare-box@example.net', '/confirm-recovery-email/');
    await changeEmail(visitor, 'moved-again@example.com');
    await expectDead(confirm);
  });
});

describe('Changing the password', () => {
  it('ends the link that would verify the primary address', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const home = await visitor.get('/');
    expect((await visitor.post('/verify-email', { _csrf: csrfTokenIn(home.text) })).status).toBe(303);
    const verify = await lastLink(user.email, '/verify-email/');
    await changePassword(visitor, user.password);
    await expectDead(verify);
    expect((await t.repos.users.findById(user.id))?.emailVerifiedAt).toBeNull();
  });

  it('ends a pending change of the email address, whose link the old password’s holder may have', async () => {
    const user = await createUser(t, { emailVerified: true });
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/account');
    await visitor.post('/profile/account/email', { _csrf: csrfTokenIn(tab.text), email: 'intruder-box@example.net' });
    const confirm = await lastLink('intruder-box@example.net', '/confirm-email/');
    await changePassword(visitor, user.password);
    await expectDead(confirm);
  });

  it('keeps the link that undoes an email change, so the owner can still take the account back', async () => {
    const user = await createUser(t, { email: 'rightful@example.com', emailVerified: true });
    const visitor = await signedIn(t, user);
    await changeEmail(visitor, 'taken-over@example.net');
    const undo = await lastLink('rightful@example.com', '/undo-email-change/');
    await changePassword(await signedIn(t, user), user.password);
    const res = await follow(undo);
    expect(res.status).toBe(200);
    expect((await t.repos.users.findById(user.id))?.email).toBe('rightful@example.com');
  });
});
