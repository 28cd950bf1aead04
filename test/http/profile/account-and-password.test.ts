import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const NEW_PASSWORD = 'orchard velvet comet 84';

describe('The profile page', () => {
  it('opens on the Account tab; tabs are links marked as navigation with the current one indicated', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const res = await visitor.get('/profile');
    expect(res.headers.location).toBe('/profile/account');
    const page = await visitor.get('/profile/account');
    expect(page.text).toMatch(/<nav class="tabs" aria-label="Profile sections">/);
    expect(page.text).toMatch(/<a class="tabs__tab tabs__tab--current" href="\/profile\/account" aria-current="page">(<svg[^>]*>.*?<\/svg>)?<span>Account<\/span><\/a>/);
    expect(page.text).toContain('href="/profile/password"');
    expect(page.text).toContain('href="/profile/preferences"');
    expect(page.text).toContain('href="/profile">Profile</a>');
  });

  it('needs a signed-in person', async () => {
    const res = await request(t.app).get('/profile/account').set('Accept', 'text/html');
    expect(res.headers.location).toBe('/login?next=%2Fprofile%2Faccount');
  });
});

describe('The Account tab', () => {
  it('saves first and last name, and shows the username as fixed', async () => {
    const user = await createUser(t, { username: 'fixed.name' });
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/account');
    expect(tab.text).toContain('Your username cannot be changed.');
    expect(tab.text).not.toMatch(/name="username"[^>]*type="text"(?![^>]*readonly)/);
    const res = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: '  Ana ', last_name: 'Marić', username: 'stolen' });
    expect(res.headers.location).toBe('/profile/account');
    expect((await visitor.get('/profile/account')).text).toContain('Your name has been saved.');
    const saved = await t.repos.users.findById(user.id);
    expect([saved?.firstName, saved?.lastName, saved?.username]).toEqual(['Ana', 'Marić', 'fixed.name']);
  });

  it('explains what is wrong with a name and keeps what was typed', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const tab = await visitor.get('/profile/account');
    const res = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: '', last_name: 'x'.repeat(101) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter your first name');
    expect(res.text).toContain('Must be 100 characters or fewer');
    const nul = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(res.text), first_name: 'A\u0000', last_name: ['a', 'b'] });
    expect(nul.status).toBe(422);
    expect(nul.text).toContain('Must not contain line breaks or control characters');
    expect(nul.text).toContain('Enter this as text');
  });

  it('refuses the username to be changed even at the database', async () => {
    const user = await createUser(t);
    await expect(t.deps.db('users').where({ id: user.id }).update({ username: 'other' })).rejects.toThrow(/immutable/);
  });
});

describe('The Password tab', () => {
  async function change(visitor: Visitor, fields: Record<string, string>) {
    const tab = await visitor.get('/profile/password');
    return visitor.post('/profile/password', { _csrf: csrfTokenIn(tab.text), ...fields });
  }

  it('changes the password, ends every session (this one too), kills reset links and sends a notice', async () => {
    const user = await createUser(t);
    const here = await signedIn(t, user);
    const elsewhere = await signedIn(t, user);
    await t.services.passwordReset.requestReset({ email: user.email }, { ip: '192.0.2.1', userAgent: '', locale: 'en' });
    await t.deliverMail();
    const resetLink = new URL(linkIn(t.mail.last(user.email), 'http://localhost:3000/reset-password/')).pathname;

    const res = await change(here, { current_password: user.password, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    const login = await here.get('/login');
    expect(login.text).toContain('Your password has been changed and you have been signed out everywhere.');
    expect(login.text).not.toContain('Your session has expired');
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await elsewhere.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await new Visitor(t.app).get(resetLink)).status).toBe(404);

    await t.deliverMail();
    expect(t.mail.last(user.email).subject).toBe('Your Atrium password was changed');
    await signedIn(t, { username: user.username, password: NEW_PASSWORD });
  });

  it.each([
    [{ current_password: 'wrong one entirely', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }, 'Your current password is not right'],
    [{ current_password: '', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }, 'Enter your current password'],
    [{ password_confirm: NEW_PASSWORD }, 'Enter a new password'],
    [{ password: NEW_PASSWORD, password_confirm: `${NEW_PASSWORD}!` }, 'The new passwords do not match'],
    [{ password: 'qwertyuiop123', password_confirm: 'qwertyuiop123' }, 'There is a problem'],
  ])('explains a refusal: %j', async (fields, message) => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await change(visitor, { current_password: user.password, ...fields });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).not.toContain(user.password);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);
  });

  it('refuses the current password as the new one', async () => {
    const user = await createUser(t);
    const res = await change(await signedIn(t, user), { current_password: user.password, password: user.password, password_confirm: user.password });
    expect(res.text).toContain('The new password must be different from the current one');
  });
});

describe('The live password strength hint', () => {
  it('is judged by the server with the same policy as the form', async () => {
    const visitor = new Visitor(t.app);
    const page = await visitor.get('/signup');
    const ask = (body: object) => visitor.agent.post('/password/strength').set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page.text)).send(body);
    const weak = await ask({ password: 'password1234' });
    expect(weak.body).toMatchObject({ acceptable: false });
    expect(weak.body.message).toContain('data breach');
    const personal = await ask({ password: 'Jane.Doe.1990', first_name: 'Jane', last_name: 'Doe' });
    expect(personal.body.acceptable).toBe(false);
    const good = await ask({ password: NEW_PASSWORD });
    expect(good.body).toMatchObject({ acceptable: true, label: expect.any(String), message: 'This password meets the rules.' });
    expect(good.body.score).toBeGreaterThanOrEqual(3);
  });

  it('needs the form token and refuses bad input', async () => {
    const visitor = new Visitor(t.app);
    const page = await visitor.get('/signup');
    expect((await visitor.agent.post('/password/strength').set('Accept', 'application/json').send({ password: 'x' })).status).toBe(403);
    const bad = await visitor.agent.post('/password/strength').set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page.text)).send({ password: ['a'] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.password).toBe('Enter this as text');
  });
});
