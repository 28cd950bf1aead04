import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const CLICKS = 5;
const ctx = { ip: '192.0.2.1', userAgent: 'test', locale: 'en' as const };
const pathOf = (link: string) => new URL(link).pathname;

/** The newest link starting with `prefix` in the mail to `address`. */
async function mailedLink(address: string, prefix: string): Promise<string> {
  await t.deliverMail();
  const mails = t.mail.to(address).filter((m) => m.text.includes(`${t.config.baseUrl.origin}${prefix}`));
  const last = mails[mails.length - 1];
  if (!last) throw new Error(`No ${prefix} link to ${address}`);
  return pathOf(linkIn(last, `${t.config.baseUrl.origin}${prefix}`));
}

/**
 * The link opened in several browsers (opening changes nothing), then every button
 * pressed at the same moment; `fields(i)` is what browser i sends with its CSRF token.
 */
async function pressEverywhereAtOnce(path: string, fields: (i: number) => Record<string, string> = () => ({})) {
  const browsers = await atOnce(CLICKS, async () => {
    const visitor = new Visitor(t.app);
    const page = await visitor.get(path);
    expect(page.status).toBe(200);
    return { visitor, csrf: csrfTokenIn(page.text) };
  });
  return atOnce(CLICKS, (i) => {
    const { visitor, csrf } = browsers[i] as (typeof browsers)[number];
    return visitor.post(path, { _csrf: csrf, ...fields(i) });
  });
}

const events = (userId: string, type: string) => t.deps.db('security_events').where({ user_id: userId, type });

describe('An emailed link used from several browsers at the same moment works exactly once', () => {
  it('a password-reset link sets exactly one of the passwords typed', async () => {
    const user = await createUser(t);
    await t.services.passwordReset.requestReset({ email: user.email }, ctx);
    const path = await mailedLink(user.email, '/reset-password/');
    const passwords = Array.from({ length: CLICKS }, (_, i) => `meadow lantern river ${i}${i}`);

    const answers = await pressEverywhereAtOnce(path, (i) => ({ password: passwords[i] as string, password_confirm: passwords[i] as string }));

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    const chosen = passwords[answers.findIndex((a) => a.status === 303)] as string;
    const works = await Promise.all(passwords.map(async (password) => (await new Visitor(t.app).submit('/login', { identifier: user.username, password })).status === 303));
    expect(passwords.filter((_, i) => works[i])).toEqual([chosen]);
    expect(await events(user.id, 'password_reset')).toHaveLength(1);
  });

  it("an operator's invitation link lets exactly one browser choose the first password", async () => {
    const { user, token } = await t.services.adminInvitations.createInvited({ username: 'invitedrace', email: 'invitedrace@example.com', first_name: 'Ivy', last_name: 'Race', admin: false });
    const passwords = Array.from({ length: CLICKS }, (_, i) => `orchard whistle pebble ${i}${i}`);

    const answers = await pressEverywhereAtOnce(`/reset-password/${token}`, (i) => ({ password: passwords[i] as string, password_confirm: passwords[i] as string }));

    expect(countStatus(answers, 303)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    const chosen = passwords[answers.findIndex((a) => a.status === 303)] as string;
    expect((await new Visitor(t.app).submit('/login', { identifier: user.username, password: chosen })).status).toBe(303);
  });

  it('an address-verification link verifies once; the other browsers are told the link cannot be used', async () => {
    const user = await createUser(t);
    await t.services.emailVerification.resend(user);
    const path = await mailedLink(user.email, '/verify-email/');

    const answers = await pressEverywhereAtOnce(path);

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    expect((await t.repos.users.findById(user.id))?.emailVerifiedAt).not.toBeNull();
  });

  it('a link confirming a new address changes it once, and the old address gets one undo link', async () => {
    const user = await createUser(t, { email: 'before-race@example.com' });
    const owner = await signedIn(t, user);
    await owner.submit('/profile/account', { email: 'after-race@example.com' }, '/profile/account/email');
    const path = await mailedLink('after-race@example.com', '/confirm-email/');

    const answers = await pressEverywhereAtOnce(path);

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    expect(await events(user.id, 'email_changed')).toHaveLength(1);
    await t.deliverMail();
    expect(t.mail.to('before-race@example.com').filter((m) => m.subject === 'The email address of your Atrium account was changed')).toHaveLength(1);
  });

  it('an undo link for an address change puts the old address back once', async () => {
    const user = await createUser(t, { email: 'keep-race@example.com' });
    const owner = await signedIn(t, user);
    await owner.submit('/profile/account', { email: 'taken-race@example.com' }, '/profile/account/email');
    const confirm = await mailedLink('taken-race@example.com', '/confirm-email/');
    await new Visitor(t.app).submit(confirm, {});
    const path = await mailedLink('keep-race@example.com', '/undo-email-change/');

    const answers = await pressEverywhereAtOnce(path);

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    expect(await events(user.id, 'email_change_undone')).toHaveLength(1);
    expect((await t.repos.users.findById(user.id))?.email).toBe('keep-race@example.com');
  });

  it('a link confirming a recovery address confirms it once', async () => {
    const user = await createUser(t);
    await t.repos.users.markEmailVerified(user.id, user.email, t.clock.now());
    const owner = await signedIn(t, user);
    await owner.submit('/profile/account', { recovery_email: 'backup-race@example.com' }, '/profile/account/recovery-email');
    const path = await mailedLink('backup-race@example.com', '/confirm-recovery-email/');

    const answers = await pressEverywhereAtOnce(path);

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    expect((await t.repos.users.findById(user.id))?.recoveryEmailVerifiedAt).not.toBeNull();
    expect(await t.deps.db('one_time_tokens').where({ user_id: user.id, purpose: 'recovery_email_verify' }).whereNotNull('used_at')).toHaveLength(1);
  });
});
