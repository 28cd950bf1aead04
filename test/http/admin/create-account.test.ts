import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, Visitor } from '../../helpers/browser-agent';
import { createUser, GOOD_PASSWORD, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const MINUTE = 60_000;

const fields = (tag: string, extra: Record<string, string> = {}) => ({ first_name: 'Nina', last_name: 'New', email: `${tag}@example.org`, username: tag, ...extra });

async function console_() {
  const admin = await createUser(t, { admin: true });
  const browser = await signedIn(t, admin);
  return { admin, browser };
}

describe('An administrator creates an account with an invitation', () => {
  it('the invited person gets a mail whose link lets them choose a password and sign in; the audit log says who made the account', async () => {
    const { admin, browser } = await console_();
    const page = await browser.get('/admin/users/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('New account');
    expect(page.text).toContain('It works once, for 24 hours.');

    const res = await browser.submit('/admin/users/new', fields('nina', { admin: 'on' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users/nina');
    const nina = await t.repos.users.findByUsername('nina');
    expect(nina).toMatchObject({ email: 'nina@example.org', firstName: 'Nina', role: 'admin', passwordHash: null });
    const audit = await t.deps.db('admin_audit').where({ target_username: 'nina' });
    expect(audit).toEqual([expect.objectContaining({ actor_id: admin.id, actor_username: admin.username, target_id: nina?.id, action: 'user_created' })]);

    await t.deliverMail();
    const invitation = t.mail.last('nina@example.org');
    expect(invitation.subject).toBe('Your new Atrium account: choose your password');
    expect(invitation.text).toContain('with the username nina');
    const link = linkIn(invitation, 'http://localhost:3000/reset-password/');
    const owner = new Visitor(t.app);
    const chosen = await owner.submit(new URL(link).pathname, { password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect(chosen.headers.location).toBe('/login');
    const signedInNina = await signedIn(t, { username: 'nina', password: GOOD_PASSWORD });
    expect((await signedInNina.get('/admin')).status).toBe(303);
  });

  it('refuses names and addresses that are taken, or reserved by a deleted account, as sign-up does', async () => {
    const { browser } = await console_();
    const taken = await createUser(t);
    const gone = await createUser(t);
    await t.services.accountDeletion.delete(gone, { ip: '', userAgent: '', locale: 'en' });

    for (const [username, email] of [
      [taken.username, taken.email],
      [gone.username, gone.email],
      [gone.username.toUpperCase(), gone.email.toUpperCase()],
    ] as const) {
      const res = await browser.submit('/admin/users/new', fields('unused', { username, email }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('This username is already taken.');
      expect(res.text).toContain('An account with this email address already exists.');
    }
    // Sign-up asks the same question, and says both at once too.
    const signUp = await new Visitor(t.app).submit('/signup', { ...fields('x'), username: gone.username, email: gone.email, password: 'copper meadow whistle 64', password_confirm: 'copper meadow whistle 64' });
    expect(signUp.status).toBe(422);
    expect(signUp.text).toContain('This username is already taken.');
    expect(signUp.text).toContain('An account with this email address already exists.');
    expect(await t.deps.db('admin_audit').where({ action: 'user_created', target_username: gone.username })).toHaveLength(0);
  });

  it('reports every problem at once, keeps what was typed, and never answers bad input with a 500', async () => {
    const { browser } = await console_();
    await createUser(t, { username: 'occupied' });
    const res = await browser.submit('/admin/users/new', { first_name: '', last_name: 'x'.repeat(101), email: 'not-an-email', username: 'occupied', admin: 'on' });
    expect(res.status).toBe(422);
    for (const message of ['Enter your first name', 'Enter an email address in the correct format', 'This username is already taken.']) expect(res.text).toContain(message);
    expect(res.text).toContain('value="occupied"');
    expect(res.text).toMatch(/name="admin" value="on" checked/);

    const hostile: Array<Record<string, string | string[]>> = [
      { first_name: ['a', 'b'], last_name: 'B', email: 'h1@example.org', username: 'hostile1' },
      { first_name: 'A', last_name: 'B', email: 'h2@example.org', username: 'hostile2', admin: 'yes' },
      { first_name: 'A\u0000', last_name: 'B', email: 'h3@example.org', username: 'hostile3' },
      { first_name: '<script>alert(1)</script>', last_name: 'B', email: 'h4@example.org', username: 'Bad Name!' },
      { first_name: 'A', last_name: 'B', email: `${'x'.repeat(300)}@example.org`, username: 'x'.repeat(40) },
    ];
    for (const body of hostile) {
      const answer = await browser.submit('/admin/users/new', body);
      expect({ body: String(body.username), status: answer.status }).toEqual({ body: String(body.username), status: 422 });
      expect(answer.text).not.toContain('<script>alert(1)</script>');
    }
    expect(await t.deps.db('users').whereLike('username', 'hostile%')).toHaveLength(0);
  });

  it('is 404 for a person without the role, and asks an administrator whose sign-in is old to confirm it, keeping the form', async () => {
    const person = await createUser(t);
    const theirs = await signedIn(t, person);
    expect((await theirs.get('/admin/users/new')).status).toBe(404);
    await theirs.get('/profile/account');
    expect((await theirs.post('/admin/users/new', { _csrf: theirs.csrf(), ...fields('sneaky') })).status).toBe(404);

    const { admin, browser } = await console_();
    const form = await browser.get('/admin/users/new');
    t.clock.advance(11 * MINUTE);
    const gated = await browser.post('/admin/users/new', { _csrf: csrfTokenIn(form.text), ...fields('later') });
    expect(gated.headers.location).toBe('/reauth?next=%2Fadmin%2Fusers%2Fnew');
    await browser.submit('/reauth?next=%2Fadmin%2Fusers%2Fnew', { password: admin.password, next: '/admin/users/new' }, '/reauth');
    const again = await browser.get('/admin/users/new');
    expect(again.text).toContain('value="later@example.org"');
    expect(await t.repos.users.findByUsername('later')).toBeUndefined();
  });
});

describe('Creating an account through the admin API', () => {
  it('POST /api/v1/admin/users creates it, mails the invitation and never returns the link', async () => {
    const { admin, browser } = await console_();
    await browser.get('/profile/account');
    const api = (body: object) => browser.agent.post('/api/v1/admin/users').set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf()).send(body);

    const missing = await api(fields('apiuser'));
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields.current_password).toBeTruthy();

    const bad = await api({ email: 'nope', username: 'x', admin: 'yes', current_password: admin.password });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['admin', 'email', 'first_name', 'last_name', 'username']);

    const created = await api({ ...fields('apiuser'), admin: false, current_password: admin.password });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'apiuser', role: 'user', has_password: false, email_verified: false });
    expect(JSON.stringify(created.body)).not.toMatch(/token|reset-password/);
    await t.deliverMail();
    expect(t.mail.last('apiuser@example.org').subject).toBe('Your new Atrium account: choose your password');

    const duplicate = await api({ ...fields('apiuser'), current_password: admin.password });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.error.fields.username).toContain('This username is already taken.');

    const outsider = await request(t.app).post('/api/v1/admin/users').set('Accept', 'application/json').send(fields('outsider'));
    expect(outsider.status).toBe(404);
  });
});
