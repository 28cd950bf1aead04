import { describeApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import { adminPersonHelpers } from './admin-person-helpers';

const t = describeApp({}, { mail: true });
const { administrator, auditOf, activityOf, act } = adminPersonHelpers(t);

describe('Password reset links and email verification, sent or vouched for by an administrator', () => {
  it('sends the person the reset link mail; the page never shows a password or the link', async () => {
    const { browser } = await administrator();
    const person = await createUser(t, { emailVerified: true });
    const res = await act(browser, `/admin/users/${person.username}/password-reset`);
    expect(res.status).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('A password reset link is on its way');
    expect(page.text).not.toContain('/reset-password/');
    await t.deliverMail();
    expect(t.mail.last(person.email).subject).toBe('Reset your Atrium password');
    expect((await auditOf(person)).map((r) => r.action)).toEqual(['password_reset_sent']);
    expect(await activityOf(person)).toEqual(['password_reset_sent_by_admin']);
  });

  it('resends the verification mail, and marks the address verified when the administrator vouches for it', async () => {
    const { browser } = await administrator();
    const person = await createUser(t);
    expect((await act(browser, `/admin/users/${person.username}/resend-verification`)).status).toBe(303);
    await t.deliverMail();
    expect(t.mail.last(person.email).text).toContain('/verify-email/');

    const res = await act(browser, `/admin/users/${person.username}/mark-verified`);
    expect((await browser.get(res.headers.location as string)).text).toContain('The email address is marked verified');
    expect((await t.repos.users.findById(person.id))?.emailVerifiedAt).not.toBeNull();
    expect((await auditOf(person)).map((r) => r.action)).toEqual(['verification_sent', 'email_marked_verified']);
    expect(await activityOf(person)).toEqual(['verification_sent_by_admin', 'email_verified_by_admin']);

    // Verified now: both doors say so and change nothing.
    for (const door of ['resend-verification', 'mark-verified']) {
      const again = await act(browser, `/admin/users/${person.username}/${door}`);
      expect((await browser.get(again.headers.location as string)).text).toContain('This email address is verified already.');
    }
    expect(await auditOf(person)).toHaveLength(2);
  });

  it('an unknown person is a 404 in words, and nothing is sent', async () => {
    const { browser } = await administrator();
    await browser.get('/profile/account');
    const res = await browser.agent.post('/admin/users/nobody-at-all/password-reset').type('form').set('Accept', 'text/html').send({ _csrf: browser.csrf() });
    expect(res.status).toBe(404);
    expect(res.text).toContain('There is no account with that username.');
  });
});
