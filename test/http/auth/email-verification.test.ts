import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const HOUR = 3_600_000;
const verifyPath = (email: string) => new URL(linkIn(t.mail.last(email), 'http://localhost:3000/verify-email/')).pathname;

async function signUp(username: string, language = 'en') {
  const visitor = new Visitor(t.app, undefined, language);
  const res = await visitor.submit('/signup', {
    first_name: 'Vera',
    last_name: 'Verify',
    email: `${username}@example.com`,
    username,
    password: GOOD_PASSWORD,
    password_confirm: GOOD_PASSWORD,
  });
  expect(res.status).toBe(303);
  await t.deliverMail();
  return visitor;
}

describe('Verifying the email address after sign-up', () => {
  it('mails a link, and the home page asks for verification until it is followed', async () => {
    const visitor = await signUp('vera');
    const message = t.mail.last('vera@example.com');
    expect(message.subject).toBe('Confirm your email address for Atrium');
    expect(message.text).toContain('Hi Vera,');
    expect(message.text).toContain('The link is valid for 24 hours.');
    expect(message.html).toContain('Confirm my email address');

    const home = await visitor.get('/');
    expect(home.text).toContain('We sent a link to vera@example.com.');
    expect(home.text).toContain('Please verify your email address');

    const link = verifyPath('vera@example.com');
    const page = await visitor.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirm that vera@example.com is your email address.');
    // Opening the link (as a mail scanner would) changes nothing.
    expect((await t.repos.users.findByUsername('vera'))?.emailVerifiedAt).toBeNull();

    const confirmed = await visitor.post(link, { _csrf: csrfTokenIn(page.text) });
    expect(confirmed.status).toBe(303);
    const after = await visitor.get('/');
    expect(after.text).toContain('Your email address is verified.');
    expect(after.text).not.toContain('Please verify your email address');
    expect((await t.repos.users.findByUsername('vera'))?.emailVerifiedAt).not.toBeNull();
  });

  it('works when the person is signed out, and says so', async () => {
    await signUp('signedout');
    const link = verifyPath('signedout@example.com');
    const stranger = new Visitor(t.app);
    const page = await stranger.get(link);
    const res = await stranger.post(link, { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your email address is verified.');
    expect((await t.repos.users.findByUsername('signedout'))?.emailVerifiedAt).not.toBeNull();
  });

  it('refuses a used, expired or made-up link with a page that says what to do', async () => {
    await signUp('expiry');
    const link = verifyPath('expiry@example.com');
    t.clock.advance(24 * HOUR + 60_000);
    const expired = await new Visitor(t.app).get(link);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain('This link cannot be used');
    expect(expired.text).toContain('Sign in and ask for a new link');
    expect((await new Visitor(t.app).get('/verify-email/not-a-token')).status).toBe(404);
    const forged = new Visitor(t.app);
    await forged.get('/login');
    expect((await forged.post(`/verify-email/${'A'.repeat(43)}`, { _csrf: forged.csrf() })).status).toBe(404);
  });

  it('a link works once', async () => {
    await signUp('oncelink');
    const link = verifyPath('oncelink@example.com');
    const visitor = new Visitor(t.app);
    const page = await visitor.get(link);
    await visitor.post(link, { _csrf: csrfTokenIn(page.text) });
    expect((await new Visitor(t.app).get(link)).status).toBe(404);
  });

  it('sends the link again on request, but not without limit', async () => {
    const user = await createUser(t, { email: 'resend@example.com' });
    const visitor = await signedIn(t, user);
    for (let i = 0; i < 5; i++) {
      const home = await visitor.get('/');
      const res = await visitor.post('/verify-email', { _csrf: csrfTokenIn(home.text) });
      expect(res.status).toBe(303);
    }
    expect((await visitor.get('/')).text).toContain('We sent a new link to resend@example.com.');
    await t.deliverMail();
    expect(t.mail.to('resend@example.com').filter((m) => m.subject === 'Confirm your email address for Atrium')).toHaveLength(5);
    const home = await visitor.get('/');
    const limited = await visitor.post('/verify-email', { _csrf: csrfTokenIn(home.text) });
    expect(limited.status).toBe(429);
  });

  it('a link sent to an address the account no longer has does not verify the new one', async () => {
    await signUp('moved');
    const link = verifyPath('moved@example.com');
    await t.deps.db('users').where({ username: 'moved' }).update({ email: 'moved-elsewhere@example.com' });
    expect((await new Visitor(t.app).get(link)).status).toBe(404);
  });

  it('is in the language the person signed up in', async () => {
    await signUp('deutsch', 'de-DE');
    expect(t.mail.last('deutsch@example.com').subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse für Atrium');
  });
});
