// Reading and changing the profile over the API: name, email address and password,
// with the same rules and effects as the Account tab.
import crypto from 'node:crypto';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { apiHelpers, expectApiHeaders, expectError } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, signInForm, tokenFor } = apiHelpers(t);

describe('GET /users/me', () => {
  it('returns the profile in the documented shape', async () => {
    const user = await createUser(t, { firstName: 'Ada', lastName: 'Lovelace' });
    const res = await api('get', '/users/me', await tokenFor(user, 'read'));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expectApiHeaders(res);
    expect(res.body).toEqual({
      id: user.id,
      username: user.username,
      email: user.email,
      email_verified: false,
      recovery_email: null,
      first_name: 'Ada',
      last_name: 'Lovelace',
      language: 'en',
      theme: null,
      avatar_url: null,
      two_factor_enabled: false,
      created_at: user.createdAt.toISOString(),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });
});

describe('PUT /users/me', () => {
  it('changes the name as the Account tab does', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await api('put', '/users/me', await tokenFor(user)).send({ first_name: '  Grace ', last_name: 'Hopper' });
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toMatchObject({ id: user.id, username: user.username, first_name: 'Grace', last_name: 'Hopper' });
    const page = await visitor.get('/profile/account');
    expect(page.text).toContain('value="Grace"');
    expect(page.text).toContain('value="Hopper"');
    expect((await api('get', '/users/me', await tokenFor(user, 'read'))).body).toMatchObject({ first_name: 'Grace', last_name: 'Hopper' });
  });

  it('refuses missing, mistyped, overlong and control-character names, field by field', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const put = (body: unknown) => api('put', '/users/me', secret).send(body as object);
    const missing = await put({});
    expectError(missing, 422, 'validation_failed', { first_name: 'Enter your first name', last_name: 'Enter your last name' });
    expect(missing.body.error.message).toBe('Some of the information you entered is not right.');
    expectApiHeaders(missing);
    expectError(await put({ first_name: 42, last_name: 'Doe' }), 422, 'validation_failed', { first_name: 'Enter this as text' });
    expectError(await put({ first_name: ['a'], last_name: { x: 1 } }), 422, 'validation_failed', { first_name: 'Enter this as text', last_name: 'Enter this as text' });
    expectError(await put({ first_name: 'x'.repeat(101), last_name: 'Doe' }), 422, 'validation_failed', { first_name: 'Must be 100 characters or fewer' });
    expectError(await put({ first_name: '   ', last_name: 'Doe' }), 422, 'validation_failed', { first_name: 'Enter your first name' });
    expectError(await put({ first_name: 'Ann\r\nBcc: x', last_name: 'Doe' }), 422, 'validation_failed', { first_name: 'Must not contain line breaks or control characters' });
    expectError(await put('not an object'), 415, 'unsupported_media_type');
    expectError(await put(['first_name', 'last_name']), 422, 'validation_failed');
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Jane');
  });

  it('refuses a malformed JSON body with 400, changing nothing', async () => {
    const user = await createUser(t);
    const res = await api('put', '/users/me', await tokenFor(user)).set('Content-Type', 'application/json').send('{"first_name": ');
    expect(res.status).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Jane');
  });

  // The JSON body parser runs before the API router; its failure must still be JSON.
  it('a malformed JSON body is answered in the JSON error shape (400 malformed_body)', async () => {
    const user = await createUser(t);
    const res = await api('put', '/users/me', await tokenFor(user)).set('Content-Type', 'application/json').send('{"first_name": ');
    expectError(res, 400, 'malformed_body');
  });

  it('stores hostile text as text: returned as sent, escaped on the page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const hostile = '<script>alert(1)</script>';
    const res = await api('put', '/users/me', await tokenFor(user)).send({ first_name: hostile, last_name: '"><img src=x onerror=alert(2)>' });
    expect(res.status).toBe(200);
    expect(res.body.first_name).toBe(hostile);
    expect(res.type).toBe('application/json');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const page = await visitor.get('/profile/account');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
    expect(page.text).not.toContain('<img src=x onerror');
  });
});

describe('PUT /users/me/email', () => {
  it('202: nothing changes yet, a confirmation link goes to the new address, as with the form', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const newEmail = `new-${crypto.randomBytes(3).toString('hex')}@example.org`;
    const res = await api('put', '/users/me/email', await tokenFor(user)).send({ email: ` ${newEmail} `, current_password: user.password });
    expect(res.status).toBe(202);
    expectApiHeaders(res);
    expect(res.body).toEqual({ pending_email: newEmail });
    expect((await t.repos.users.findById(user.id))?.email).toBe(user.email);
    await t.deliverMail();
    const [mail] = t.mail.to(newEmail);
    expect(mail?.subject).toBe('Confirm your new email address for Atrium');
    expect(mail?.text).toContain(`${t.config.baseUrl.origin}/confirm-email/`);
    expect((await visitor.get('/profile/account')).text).toContain(`Change to ${newEmail} pending`);
  });

  it('refuses a missing, malformed, mistyped, overlong or unchanged address', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const put = (body: object) => api('put', '/users/me/email', secret).send({ current_password: user.password, ...body });
    expectError(await put({}), 422, 'validation_failed', { email: 'Enter the new email address' });
    expectError(await put({ email: 42 }), 422, 'validation_failed', { email: 'Enter this as text' });
    const invalid = 'Enter an email address in the correct format, like name@example.com';
    expectError(await put({ email: 'not-an-address' }), 422, 'validation_failed', { email: invalid });
    expectError(await put({ email: '<script>alert(1)</script>@example.com' }), 422, 'validation_failed', { email: invalid });
    expectError(await put({ email: 'a@example.com\r\nBcc: victim@example.com' }), 422, 'validation_failed', { email: invalid });
    expectError(await put({ email: `${'a'.repeat(250)}@example.com` }), 422, 'validation_failed', { email: 'Email address must be 254 characters or fewer' });
    expectError(await put({ email: user.email.toUpperCase() }), 422, 'validation_failed', { email: 'That is already your email address.' });
    expect(await t.services.emailChange.pending(user)).toBeNull();
  });
});

describe('PUT /users/me/password', () => {
  it('204: the old password stops working on the sign-in form, the new one works', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const newPassword = 'a completely different passphrase 93';
    const res = await api('put', '/users/me/password', await tokenFor(user)).send({ current_password: user.password, password: newPassword });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    const old = await signInForm(user.username, user.password);
    expect(old.status).toBe(422);
    expect(old.headers.location).toBeUndefined();
    expect(old.text).toContain('The username, email address or password is not right.');
    expect((await signInForm(user.username, newPassword)).status).toBe(303);
    // Other sessions are signed out, as with the form.
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('Your Atrium password was changed');
  });

  it('refuses a missing, mistyped, overlong, weak or unchanged new password', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const put = (body: object) => api('put', '/users/me/password', secret).send({ current_password: user.password, ...body });
    expectError(await put({}), 422, 'validation_failed', { password: 'Enter a new password' });
    expectError(await put({ password: 12345678901234 }), 422, 'validation_failed', { password: 'Enter this as text' });
    expectError(await put({ password: 'x'.repeat(1025) }), 422, 'validation_failed', { password: 'Must be 1024 characters or fewer' });
    expectError(await put({ password: 'password' }), 422, 'validation_failed', { password: /^Password must be at least \d+ characters$/ });
    expectError(await put({ password: `${user.username} ${user.username} atrium` }), 422, 'validation_failed', { password: /^Your password is built from your name, username/ });
    expectError(await put({ password: user.password }), 422, 'validation_failed', { password: 'The new password must be different from the current one' });
    expect((await signInForm(user.username, user.password)).status).toBe(303);
  });
});
