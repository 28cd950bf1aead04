import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({ BASE_URL: 'http://accounts.example.com', TRUST_PROXY: 'true' }, { mail: true });

const HOUR = 3_600_000;
const NEW_PASSWORD = 'marble canyon whistle 38';

async function requestReset(email: string, ip = '203.0.113.10', visitor = new Visitor(t.app, USER_AGENTS.firefoxLinuxArm)) {
  await visitor.get('/forgot-password');
  return visitor.agent
    .post('/forgot-password')
    .set('User-Agent', visitor.userAgent)
    .set('X-Forwarded-For', ip)
    .set('Accept', 'text/html')
    .type('form')
    .send({ _csrf: visitor.csrf(), email });
}

const resetPath = (link: string) => new URL(link).pathname;

describe('Forgot password', () => {
  it('is offered on the sign-in page', async () => {
    const page = await new Visitor(t.app).get('/login');
    expect(page.text).toContain('href="/forgot-password"');
    expect(page.text).toContain('Forgot password?');
  });

  it('mails a link to choose a new password, greeting the person and saying where the request came from', async () => {
    const user = await createUser(t, { email: 'jane.forgot@example.com', firstName: 'Jane' });
    const res = await requestReset(' Jane.Forgot@example.com ');
    expect(res.status).toBe(200);
    expect(res.text).toContain('belongs to an account, a message with a link to choose a new password is on its way.');
    expect(res.text).not.toMatch(/sent successfully/i);
    expect(t.mail.to(user.email)).toHaveLength(0);

    expect(await t.deliverMail()).toBe(1);
    const message = t.mail.last(user.email);
    expect(message.subject).toBe('Reset your Atrium password');
    expect(message.text).toContain('Hi Jane,');
    expect(message.text).toContain('The link is valid for 24 hours and works once.');
    expect(message.text).toContain('203.0.113.10');
    expect(message.text).toContain('Firefox 133 on Linux');
    expect(message.html).toContain('Create a New Password');
    expect(message.html).not.toMatch(/<img|src="http/);
    const link = linkIn(message, 'http://accounts.example.com/reset-password/');
    expect(link).toMatch(/^http:\/\/accounts\.example\.com\/reset-password\/[A-Za-z0-9_-]{43}$/);
    expect(message.html).toContain(`href="${link}"`);
  });

  it('builds the link from BASE_URL, never from the Host header', async () => {
    const user = await createUser(t);
    const visitor = new Visitor(t.app);
    await visitor.get('/forgot-password');
    await visitor.agent.post('/forgot-password').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').type('form').send({ _csrf: visitor.csrf(), email: user.email });
    await t.deliverMail();
    expect(t.mail.last(user.email).text).not.toContain('evil.example');
    expect(linkIn(t.mail.last(user.email), 'http://accounts.example.com/')).toBeTruthy();
  });

  it('writes to the person in their saved language', async () => {
    const user = await createUser(t, { language: 'de', firstName: 'Jana' });
    await requestReset(user.email);
    await t.deliverMail();
    const message = t.mail.last(user.email);
    expect(message.subject).toBe('Ihr Passwort bei Atrium zurücksetzen');
    expect(message.text).toContain('Hallo Jana,');
    expect(message.text).toContain('Der Link ist 24 Stunden gültig');

    const serbian = await createUser(t, { language: 'sr-Cyrl', firstName: 'Јована' });
    await requestReset(serbian.email);
    await t.deliverMail();
    expect(t.mail.last(serbian.email).subject).toBe('Ресетујте лозинку за Atrium');
    expect(t.mail.last(serbian.email).text).toContain('Здраво Јована,');
  });

  it('goes to the verified recovery address when the account has one', async () => {
    const user = await createUser(t);
    await t.deps.db('users').where({ id: user.id }).update({ recovery_email: 'backup@example.org', recovery_email_verified_at: new Date() });
    await requestReset(user.email);
    await t.deliverMail();
    expect(t.mail.to('backup@example.org')).toHaveLength(1);
    expect(t.mail.to(user.email)).toHaveLength(0);
  });

  it('answers an unknown address exactly like a known one, and tells that address there is no account', async () => {
    const user = await createUser(t);
    const known = await requestReset(user.email, '203.0.113.20');
    const unknown = await requestReset('nobody-here@example.com', '203.0.113.21');
    expect(unknown.status).toBe(known.status);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(new RegExp(`${user.email}|nobody-here@example.com`, 'g'), 'ADDRESS');
    expect(strip(unknown.text)).toBe(strip(known.text));
    await t.deliverMail();
    const note = t.mail.last('nobody-here@example.com');
    expect(note.subject).toBe('Password reset request at Atrium');
    expect(note.text).not.toContain('/reset-password/');
  });

  it('offers the unknown address an account only while people may sign up', async () => {
    await requestReset('open-door@example.com', '203.0.113.22');
    await t.deliverMail();
    expect(t.mail.last('open-door@example.com').text).toContain('http://accounts.example.com/signup');

    await t.repos.adminPolicies.set('signup', 'closed', null, t.clock.now());
    try {
      await requestReset('closed-door@example.com', '203.0.113.23');
      await t.deliverMail();
      const note = t.mail.last('closed-door@example.com');
      expect(note.text).not.toContain('/signup');
      expect(note.html).not.toContain('/signup');
      expect(note.text).toContain('Accounts here are created by the administrators.');
    } finally {
      await t.repos.adminPolicies.set('signup', 'open', null, t.clock.now());
    }
  });

  it('lets the link be used once, at 23 h 59 min but not at 24 h 01 min', async () => {
    const user = await createUser(t);
    await requestReset(user.email);
    await t.deliverMail();
    const link = resetPath(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/'));
    t.clock.advance(23 * HOUR + 59 * 60_000);
    expect((await new Visitor(t.app).get(link)).status).toBe(200);
    t.clock.advance(2 * 60_000);
    const late = await new Visitor(t.app).get(link);
    expect(late.status).toBe(404);
    expect(late.text).toContain('This link cannot be used');
    expect(late.text).toContain('href="/forgot-password"');
  });

  it('sets the new password, ends every session, mails a notice, and sends the person to sign in', async () => {
    const user = await createUser(t);
    const elsewhere = await signedIn(t, user);
    await requestReset(user.email);
    await t.deliverMail();
    const link = resetPath(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/'));

    const visitor = new Visitor(t.app);
    const form = await visitor.get(link);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    const res = await visitor.post(link, { _csrf: visitor.csrf(), password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('Your password has been saved.');

    expect((await elsewhere.get('/')).headers.location).toBe('/login');
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await new Visitor(t.app).submit('/login', { identifier: user.username, password: user.password })).status).toBe(422);
    await signedIn(t, { username: user.username, password: NEW_PASSWORD });

    await t.deliverMail();
    // The sign-in from this new browser gets a notice of its own; the change's notice is the one before it.
    const notice = t.mail.to(user.email).find((m) => m.subject === 'Your Atrium password was changed');
    if (!notice) throw new Error('no password-changed notice');
    expect(notice.text).toContain('http://accounts.example.com/forgot-password');
    expect((await new Visitor(t.app).get(link)).status).toBe(404);
  });

  it('keeps an earlier link valid until one of the two is used, then both die', async () => {
    const user = await createUser(t);
    await requestReset(user.email);
    await requestReset(user.email);
    await t.deliverMail();
    const [first, second] = t.mail.to(user.email).slice(-2).map((m) => resetPath(linkIn(m, 'http://accounts.example.com/reset-password/')));
    expect(first).not.toBe(second);
    expect((await new Visitor(t.app).get(first as string)).status).toBe(200);
    await new Visitor(t.app).submit(second as string, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect((await new Visitor(t.app).get(first as string)).status).toBe(404);
    expect((await new Visitor(t.app).get(second as string)).status).toBe(404);
  });

  it('keeps the policy for the new password', async () => {
    const user = await createUser(t);
    await requestReset(user.email);
    await t.deliverMail();
    const link = resetPath(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/'));
    const res = await new Visitor(t.app).submit(link, { password: 'password123', password_confirm: 'password123' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
  });

  it('is rate limited per address, whether or not it has an account', async () => {
    for (let i = 0; i < 5; i++) expect((await requestReset('flood@example.com', `198.51.100.${i}`)).status).toBe(200);
    const limited = await requestReset('flood@example.com', '198.51.100.99');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many attempts');
  });

  it('refuses malformed, hostile and oversized addresses with a message', async () => {
    for (const email of ['', 'no-at-sign', 'a@b', 'victim@example.com\r\nBcc: x@example.com', '"quoted"@example.com', `${'a'.repeat(10_000)}@example.com`, 'a@example.com, b@example.com']) {
      const res = await requestReset(email, '192.0.2.200');
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/Enter (your email address|an email address in the correct format)|Email address must be 254 characters or fewer/);
    }
  });
});

describe('While the mail server is down', () => {
  it('the page still confirms, and the message arrives once the server is back', async () => {
    const user = await createUser(t);
    await t.mail.stop();
    const res = await requestReset(user.email);
    expect(res.status).toBe(200);
    expect(res.text).toContain('a message with a link to choose a new password is on its way.');
    expect(await t.deliverMail()).toBe(0);
    await t.mail.start();
    t.clock.advance(60_000);
    expect(await t.deliverMail()).toBeGreaterThanOrEqual(1);
    expect(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/')).toBeTruthy();
  });
});

describe('A completed reset', () => {
  it('never signs the person in automatically', async () => {
    const user = await createUser(t);
    await requestReset(user.email);
    await t.deliverMail();
    const link = resetPath(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/'));
    const visitor = new Visitor(t.app);
    const res = await visitor.submit(link, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(res.headers.location).toBe('/login');
    const home = await visitor.get('/');
    expect(home.text).not.toContain('Hello, Jane');
    expect(home.text).toContain('href="/login"');
  });
});
