import crypto from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { htmlPretendingToBePng, oversizedJpeg, solidPng } from '../../helpers/images';
import { totpAt } from '../../helpers/totp';
import type { User } from '../../../src/features/users/user';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { mail: true });
});
afterAll(async () => t.close());

type Method = 'get' | 'put' | 'post' | 'delete';
type Scope = 'read' | 'write';
type Person = User & { password: string };

const BASE = '/api/v1';
const DAY = 86_400_000;
const STEP = 30_000;
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_HANDLE = 'f'.repeat(64);

/** Every operation of the API, as documented; the first test checks this list against /api/v1/openapi.json. */
const ENDPOINTS: Array<{ method: Method; path: string }> = [
  { method: 'get', path: '/users/me' },
  { method: 'put', path: '/users/me' },
  { method: 'delete', path: '/users/me' },
  { method: 'get', path: '/users/me/export' },
  { method: 'put', path: '/users/me/email' },
  { method: 'put', path: '/users/me/password' },
  { method: 'put', path: '/users/me/avatar' },
  { method: 'delete', path: '/users/me/avatar' },
  { method: 'get', path: '/users/me/sessions' },
  { method: 'delete', path: '/users/me/sessions/{id}' },
  { method: 'get', path: '/users/me/tokens' },
  { method: 'post', path: '/users/me/tokens' },
  { method: 'delete', path: '/users/me/tokens/{id}' },
  { method: 'get', path: '/users/me/ssh-keys' },
  { method: 'post', path: '/users/me/ssh-keys' },
  { method: 'delete', path: '/users/me/ssh-keys/{id}' },
];
const READS = ENDPOINTS.filter((e) => e.method === 'get');
const WRITES = ENDPOINTS.filter((e) => e.method !== 'get');
const label = (e: { method: Method; path: string }) => `${e.method.toUpperCase()} ${e.path}`;
const concrete = (path: string) => path.replace('{id}', path.includes('sessions') ? UNKNOWN_HANDLE : UNKNOWN_ID);

/** A personal access token, made through the service as the tokens page would. */
async function tokenFor(user: User, scope: Scope = 'write', name = `${scope} token`): Promise<string> {
  const { secret } = await t.services.apiTokens.create(user, { name, scope, expires: '30' }, ctx);
  return secret;
}

/** An API request with a bearer token (or none); no Accept header, as many scripts send. */
function api(method: Method, path: string, secret?: string) {
  const req = request(t.app)[method](BASE + path).set('User-Agent', 'api-test/1.0');
  return secret ? req.set('Authorization', `Bearer ${secret}`) : req;
}

/** What every answer of the API carries once the caller got past the address check. */
function expectApiHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['ratelimit']).toMatch(/^"api-ip";r=\d+;t=\d+(, "api-client";r=\d+;t=\d+)?$/);
  expect(res.headers['ratelimit-policy']).toBe('"api-ip";q=1200;w=60, "api-client";q=600;w=60');
}

/** A JSON error in the one documented shape. */
function expectError(res: Response, status: number, code: string, fields?: Record<string, string | RegExp>): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.type).toBe('application/json');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(5);
  expect(res.headers['cache-control']).toBe('no-store');
  if (fields) {
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(Object.keys(fields).sort());
    for (const [name, message] of Object.entries(fields)) {
      if (typeof message === 'string') expect(res.body.error.fields[name]).toBe(message);
      else expect(res.body.error.fields[name]).toMatch(message);
    }
  }
}

function sshField(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** A fresh Ed25519 public key line as ssh-keygen writes it, and its SHA256 fingerprint. */
function ed25519Key(comment = 'jane@laptop'): { line: string; fingerprint: string; publicKey: string } {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const blob = Buffer.concat([sshField(Buffer.from('ssh-ed25519')), sshField(raw)]);
  const base64 = blob.toString('base64');
  return {
    line: `ssh-ed25519 ${base64} ${comment}`,
    publicKey: `ssh-ed25519 ${base64}`,
    fingerprint: `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}

/** Turns the authenticator app on through the service, as the enrolment page does; returns the secret. */
async function withTotp(user: Person): Promise<{ user: Person; secret: string }> {
  const { secret, sealed } = t.services.mfa.newSealedSecret();
  await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
  // The enrolment code's time step is used up: the next code comes from the next step.
  t.clock.advance(STEP);
  return { user: { ...user, mfaEnabled: true }, secret };
}

/** The /login form, as a browser posts it. */
async function signInForm(identifier: string, password: string): Promise<Response> {
  return new Visitor(t.app).submit('/login', { identifier, password });
}

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('The endpoint list of this test', () => {
  it('is exactly the documented operations', async () => {
    const doc = (await request(t.app).get(`${BASE}/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ENDPOINTS.map(label).sort());
  });
});

describe('Authentication', () => {
  it.each(READS.map((e) => [label(e), e] as const))('%s without credentials: 401 unauthenticated with WWW-Authenticate', async (_name, e) => {
    const res = await api(e.method, concrete(e.path));
    expectError(res, 401, 'unauthenticated');
    expect(res.body.error.message).toBe('Authentication is required: send a personal access token, an app password or the session cookie.');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", Basic realm="api", charset="UTF-8"');
    expectApiHeaders(res);
  });

  // The site-wide CSRF check runs first; a write without any session or credentials must still get the API's 401.
  it.each(WRITES.map((e) => [label(e), e] as const))('%s without credentials: 401 unauthenticated with WWW-Authenticate', async (_name, e) => {
    const req = api(e.method, concrete(e.path));
    const res = e.path === '/users/me/avatar' ? await req.set('Content-Type', 'image/png').send(await solidPng(8, 8)) : await req.send({});
    expectError(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", Basic realm="api", charset="UTF-8"');
  });

  it('refuses writes without credentials whatever they answer, and changes nothing', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user, 'write');
    const { id: tokenId } = (await t.services.apiTokens.list(user))[0] as { id: string };
    const attempts = [
      await api('put', '/users/me').send({ first_name: 'Mallory', last_name: 'M' }),
      await api('delete', `/users/me/tokens/${tokenId}`),
      await api('delete', '/users/me').send({ current_password: user.password }),
      await api('post', '/users/me/ssh-keys').send({ title: 'x', key: ed25519Key().line }),
    ];
    for (const res of attempts) expect([401, 403]).toContain(res.status);
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Jane');
    expect((await api('get', '/users/me', secret)).status).toBe(200);
    expect(await t.services.sshKeys.list(user)).toHaveLength(0);
  });

  it('a multipart upload without credentials (it skips the form CSRF check) is a JSON 401', async () => {
    const res = await api('put', '/users/me/avatar').attach('avatar', await solidPng(8, 8), { filename: 'a.png', contentType: 'image/png' });
    expectError(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toContain('Bearer realm="api"');
  });

  it('refuses unknown, malformed, expired and revoked tokens', async () => {
    const user = await createUser(t);
    const unknown = await api('get', '/users/me', `pat_${'A'.repeat(36)}`);
    expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.body.error.message).toBe('The credentials are not valid.');
    expectApiHeaders(unknown);
    expectError(await api('get', '/users/me', 'not a token'), 401, 'invalid_credentials');
    expectError(await api('get', '/users/me').set('Authorization', 'Basic %%%'), 401, 'invalid_credentials');

    const secret = await tokenFor(user, 'read');
    expect((await api('get', '/users/me', secret)).status).toBe(200);
    t.clock.advance(30 * DAY + 1000);
    expectError(await api('get', '/users/me', secret), 401, 'token_expired');
  });

  it('an unknown path under /api/v1 is a JSON 404 once authenticated, a 401 before', async () => {
    const secret = await tokenFor(await createUser(t), 'read');
    const res = await api('get', '/users/me/nothing-here', secret);
    expectError(res, 404, 'not_found');
    expectApiHeaders(res);
    expectError(await api('get', '/users/me/nothing-here'), 401, 'unauthenticated');
  });

  it('a locked account is refused with 403 account_locked even with a valid token', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user, 'write');
    expect((await api('get', '/users/me', secret)).status).toBe(200);
    await t.deps.db('users').where({ id: user.id }).update({ locked_at: t.clock.now() });
    const res = await api('get', '/users/me', secret);
    expectError(res, 403, 'account_locked');
    expect(res.body.error.message).toBe('This account has been locked by an administrator. Contact them to unlock it.');
    expectApiHeaders(res);
    expectError(await api('put', '/users/me', secret).send({ first_name: 'X', last_name: 'Y' }), 403, 'account_locked');
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Jane');
  });

  it.each(['access_token', 'token', 'api_key', 'apikey', 'password'])('refuses credentials in the query string (?%s=), even with a valid header', async (name) => {
    const user = await createUser(t);
    const secret = await tokenFor(user, 'read');
    const res = await api('get', `/users/me?${name}=${secret}`);
    expectError(res, 400, 'credentials_in_query');
    expect(res.body.error.message).toBe('Credentials are not accepted in the URL. Send them in the Authorization header.');
    expectApiHeaders(res);
    expectError(await api('get', `/users/me/tokens?${name}=x`, secret), 400, 'credentials_in_query');
  });
});

describe('Scopes', () => {
  it.each(READS.map((e) => [label(e), e] as const))('%s works with a read-scope token', async (_name, e) => {
    const user = await createUser(t);
    const res = await api(e.method, e.path, await tokenFor(user, 'read'));
    expect(res.status).toBe(200);
    expectApiHeaders(res);
  });

  it.each(WRITES.map((e) => [label(e), e] as const))('%s with a read-scope token: 403 insufficient_scope, nothing changes', async (_name, e) => {
    const user = await createUser(t);
    const read = await tokenFor(user, 'read');
    const [token] = await t.services.apiTokens.list(user);
    const key = await t.services.sshKeys.add(user, { title: 'Laptop', key: ed25519Key().line }, ctx);
    const visitor = await signedIn(t, user);
    const [session] = await t.services.sessions.list(user.id, 'none');
    const id = e.path.includes('tokens') ? token?.id : e.path.includes('ssh-keys') ? key.id : session?.id;
    const bodies: Record<string, unknown> = {
      'PUT /users/me': { first_name: 'Read', last_name: 'Only' },
      'DELETE /users/me': { current_password: user.password },
      'PUT /users/me/email': { email: 'readonly@example.com', current_password: user.password },
      'PUT /users/me/password': { current_password: user.password, password: 'a brand new passphrase 42' },
      'POST /users/me/tokens': { name: 'Escalate', scope: 'write', expires_in_days: 7, current_password: user.password },
      'POST /users/me/ssh-keys': { title: 'Other', key: ed25519Key().line },
    };
    const req = api(e.method, e.path.replace('{id}', String(id)), read);
    const res = e.path === '/users/me/avatar' ? await req.set('Content-Type', 'image/png').send(await solidPng(16, 16)) : await req.send((bodies[label(e)] ?? {}) as object);
    expectError(res, 403, 'insufficient_scope');
    expect(res.body.error.message).toBe('This token has read-only access.');
    expectApiHeaders(res);
    const after = await t.services.repos.users.findById(user.id);
    expect([after?.firstName, after?.email, after?.avatarHash]).toEqual(['Jane', user.email, null]);
    expect(await t.services.apiTokens.list(user)).toHaveLength(1);
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);
    expect((await visitor.get('/profile/account')).status).toBe(200);
    expect((await signInForm(user.username, user.password)).status).toBe(303);
  });
});

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
    expectError(await put('not an object'), 422, 'validation_failed');
    expectError(await put(['first_name', 'last_name']), 422, 'validation_failed');
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Jane');
  });

  it('refuses a malformed JSON body with 400, changing nothing', async () => {
    const user = await createUser(t);
    const res = await api('put', '/users/me', await tokenFor(user)).set('Content-Type', 'application/json').send('{"first_name": ');
    expect(res.status).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Jane');
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
    expect((await t.services.repos.users.findById(user.id))?.email).toBe(user.email);
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

describe('PUT and DELETE /users/me/avatar', () => {
  const avatarPath = (url: string) => new URL(url).pathname;

  it('a raw PNG body: 200 with the avatar URL; the profile page and GET /users/me show it; DELETE removes it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const res = await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/png').send(await solidPng());
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toEqual({ avatar_url: expect.stringMatching(/^http:\/\/localhost:3000\/avatars\/[^/]+\/256\.webp$/) });
    const image = await request(t.app).get(avatarPath(res.body.avatar_url));
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect((await api('get', '/users/me', secret)).body.avatar_url).toBe(res.body.avatar_url);
    expect((await visitor.get('/profile/account')).text).toContain(`<img src="${avatarPath(res.body.avatar_url)}"`);

    const removed = await api('delete', '/users/me/avatar', secret);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expectApiHeaders(removed);
    expect((await api('get', '/users/me', secret)).body.avatar_url).toBeNull();
    expect((await visitor.get('/profile/account')).text).not.toContain(`<img src="${avatarPath(res.body.avatar_url)}"`);
    // Removing again is harmless.
    expect((await api('delete', '/users/me/avatar', secret)).status).toBe(204);
  });

  it('a multipart upload with an avatar part works too', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const res = await api('put', '/users/me/avatar', secret).attach('avatar', await solidPng(64, 64, { r: 200, g: 0, b: 0 }), { filename: 'me.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.body.avatar_url).toMatch(/\/avatars\/[^/]+\/256\.webp$/);
    expect((await t.services.repos.users.findById(user.id))?.avatarHash).toBeTruthy();
  });

  it('refuses other media types (415), non-images (422), a missing part (422) and oversized images (413)', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const text = await api('put', '/users/me/avatar', secret).set('Content-Type', 'text/plain').send('hello');
    expectError(text, 415, 'unsupported_media_type');
    expect(text.body.error.message).toBe('Send the image as the request body (Content-Type image/…) or as multipart form data.');
    expectApiHeaders(text);
    expectError(await api('put', '/users/me/avatar', secret).send({ avatar: 'data:image/png;base64,AAAA' }), 415, 'unsupported_media_type');
    expectError(await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/png').send(htmlPretendingToBePng), 422, 'validation_failed', { avatar: 'That file is not an image we accept. Choose a JPEG, PNG, WebP, GIF or AVIF image.' });
    expectError(await api('put', '/users/me/avatar', secret).field('picture', 'none'), 422, 'validation_failed', { avatar: 'Choose an image to upload' });
    expectError(await api('put', '/users/me/avatar', secret).set('Content-Type', 'image/jpeg').send(oversizedJpeg(6)), 413, 'payload_too_large');
    expectError(await api('put', '/users/me/avatar', secret).attach('avatar', oversizedJpeg(6), { filename: 'big.jpg', contentType: 'image/jpeg' }), 413, 'payload_too_large');
    expect((await t.services.repos.users.findById(user.id))?.avatarHash).toBeNull();
  });

  it('from the browser session: multipart and raw uploads need the CSRF token', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/account');
    const csrf = visitor.csrf();
    const png = await solidPng(32, 32);
    const noToken = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').attach('avatar', png, { filename: 'a.png', contentType: 'image/png' });
    expectError(noToken, 403, 'csrf_failed');
    const rawNoToken = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').set('Content-Type', 'image/png').send(png);
    expectError(rawNoToken, 403, 'csrf_failed');
    expect((await t.services.repos.users.findById(user.id))?.avatarHash).toBeNull();
    const ok = await visitor.agent.put(`${BASE}/users/me/avatar`).set('Accept', 'application/json').set('X-CSRF-Token', csrf).attach('avatar', png, { filename: 'a.png', contentType: 'image/png' });
    expect(ok.status).toBe(200);
    expect((await t.services.repos.users.findById(user.id))?.avatarHash).toBeTruthy();
  });
});

describe('DELETE /users/me', () => {
  it('204: the account, its sessions and its tokens are gone, and a farewell is mailed', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);
    const secret = await tokenFor(user);
    const res = await api('delete', '/users/me', secret).send({ current_password: user.password });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expect(await t.deps.db('users').where({ id: user.id })).toHaveLength(0);
    expect(await t.deps.db('api_tokens').where({ user_id: user.id })).toHaveLength(0);
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expectError(await api('get', '/users/me', secret), 401, 'invalid_credentials');
    expect((await signInForm(user.username, user.password)).status).toBe(422);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('Your Atrium account has been deleted');
  });

  it('refuses a missing or mistyped current_password and keeps the account', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const missing = await api('delete', '/users/me', secret);
    expectError(missing, 422, 'validation_failed', { current_password: 'Send your current password as current_password.' });
    expectApiHeaders(missing);
    expectError(await api('delete', '/users/me', secret).send({ current_password: 12345 }), 422, 'validation_failed', { current_password: 'Enter this as text' });
    expectError(await api('delete', '/users/me', secret).send({ current_password: 'x'.repeat(1025) }), 422, 'validation_failed', { current_password: 'Must be 1024 characters or fewer' });
    expect(await t.services.repos.users.findById(user.id)).toBeDefined();
  });
});

describe('Step-up on sensitive endpoints', () => {
  const SENSITIVE: Array<{ name: string; method: Method; path: string; body: (user: Person) => Record<string, unknown>; done: (user: Person) => Promise<boolean> }> = [
    {
      name: 'PUT /users/me/email',
      method: 'put',
      path: '/users/me/email',
      body: () => ({ email: `step-${crypto.randomBytes(3).toString('hex')}@example.net` }),
      done: async (user) => (await t.services.emailChange.pending(user)) !== null,
    },
    {
      name: 'PUT /users/me/password',
      method: 'put',
      path: '/users/me/password',
      body: () => ({ password: 'stepped up passphrase 2044' }),
      done: async (user) => (await t.services.repos.users.findById(user.id))?.passwordHash !== user.passwordHash,
    },
    {
      name: 'POST /users/me/tokens',
      method: 'post',
      path: '/users/me/tokens',
      body: () => ({ name: 'Stepped', scope: 'read', expires_in_days: 7 }),
      done: async (user) => (await t.services.apiTokens.list(user)).some((tk) => tk.name === 'Stepped'),
    },
    {
      name: 'DELETE /users/me',
      method: 'delete',
      path: '/users/me',
      body: () => ({}),
      done: async (user) => (await t.services.repos.users.findById(user.id)) === undefined,
    },
  ];
  const cases = SENSITIVE.map((s) => [s.name, s] as const);

  it.each(cases)('%s: refuses a missing or wrong current_password', async (_name, s) => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const missing = await api(s.method, s.path, secret).send(s.body(user));
    expectError(missing, 422, 'validation_failed', { current_password: 'Send your current password as current_password.' });
    const wrong = await api(s.method, s.path, secret).send({ ...s.body(user), current_password: 'not my password at all' });
    expectError(wrong, 422, 'validation_failed', { current_password: 'That is not your password. Try again.' });
    expect(await s.done(user)).toBe(false);
    const right = await api(s.method, s.path, secret).send({ ...s.body(user), current_password: user.password });
    expect(right.status).toBeLessThan(300);
    expect(await s.done(user)).toBe(true);
  });

  it.each(cases)('%s: with an authenticator app on, also needs a current code', async (_name, s) => {
    const { user, secret: totpSecret } = await withTotp(await createUser(t));
    const secret = await tokenFor(user);
    const send = (extra: object) => api(s.method, s.path, secret).send({ ...s.body(user), current_password: user.password, ...extra });
    expectError(await send({}), 422, 'validation_failed', { code: 'Enter the six-digit code' });
    expectError(await send({ code: '000000' === totpAt(totpSecret, t.clock.now()) ? '111111' : '000000' }), 422, 'validation_failed', { code: 'That code is not right, or it has been used already. Wait for the next one and try again.' });
    expectError(await send({ code: 12345 }), 422, 'validation_failed', { code: 'Enter this as text' });
    // The password is still checked first: a good code does not stand in for it.
    expectError(await api(s.method, s.path, secret).send({ ...s.body(user), current_password: 'wrong password here', code: totpAt(totpSecret, t.clock.now()) }), 422, 'validation_failed', { current_password: 'That is not your password. Try again.' });
    expect(await s.done(user)).toBe(false);
    const code = totpAt(totpSecret, t.clock.now());
    const ok = await send({ code });
    expect(ok.status).toBeLessThan(300);
    expect(await s.done(user)).toBe(true);
  });

  it('a code is accepted once: a replay within the same time step is refused', async () => {
    const { user, secret: totpSecret } = await withTotp(await createUser(t));
    const secret = await tokenFor(user);
    const code = totpAt(totpSecret, t.clock.now());
    const body = { name: 'Once', scope: 'read', expires_in_days: 7, current_password: user.password, code };
    expect((await api('post', '/users/me/tokens', secret).send(body)).status).toBe(201);
    expectError(await api('post', '/users/me/tokens', secret).send({ ...body, name: 'Twice' }), 422, 'validation_failed', { code: /not right/ });
  });
});

describe('GET and DELETE /users/me/sessions', () => {
  it('lists the devices signed in; DELETE signs one out, as the Sessions tab does', async () => {
    const user = await createUser(t);
    const phone = await signedIn(t, user, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1');
    const laptop = await signedIn(t, user);
    const secret = await tokenFor(user);
    const res = await api('get', '/users/me/sessions', secret);
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toHaveLength(2);
    for (const session of res.body) {
      expect(session).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        current: false,
        browser: expect.any(String),
        os: expect.any(String),
        device: expect.any(String),
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        method: 'password',
        created_at: iso,
        last_seen_at: iso,
        expires_at: iso,
      });
    }
    const iphone = (res.body as Array<{ id: string; os: string }>).find((s) => s.os.startsWith('iOS'));
    if (!iphone) throw new Error(`no iOS session in ${JSON.stringify(res.body)}`);

    const revoked = await api('delete', `/users/me/sessions/${iphone.id}`, secret);
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    expectApiHeaders(revoked);
    expect((await phone.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await laptop.get('/profile/account')).status).toBe(200);
    const after = await api('get', '/users/me/sessions', secret);
    expect((after.body as Array<{ id: string }>).map((s) => s.id)).not.toContain(iphone.id);
    expect((await laptop.get('/profile/sessions')).text).not.toContain(iphone.id);
    // Again: it is gone.
    expectError(await api('delete', `/users/me/sessions/${iphone.id}`, secret), 404, 'not_found');
  });

  it('an unknown, malformed or someone else\'s session id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const otherVisitor = await signedIn(t, other);
    const [otherSession] = await t.services.sessions.list(other.id, 'none');
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/sessions/${UNKNOWN_HANDLE}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such session on your account. It may have ended already.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/sessions/not-a-handle', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/sessions/${UNKNOWN_ID}`, secret), 404, 'not_found');
    expectError(await api('delete', '/users/me/sessions/%E0%A4%A', secret), 400, 'bad_url');
    expectError(await api('delete', `/users/me/sessions/${otherSession?.id}`, secret), 404, 'not_found');
    expect((await otherVisitor.get('/profile/account')).status).toBe(200);
  });

  it('with the session cookie: the calling session comes first and cannot be deleted (409)', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await signedIn(t, user);
    const list = await visitor.agent.get(`${BASE}/users/me/sessions`).set('Accept', 'application/json');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { current: boolean }) => s.current)).toEqual([true, false]);
    await visitor.get('/profile/sessions');
    const self = await visitor.agent.delete(`${BASE}/users/me/sessions/${list.body[0].id}`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
    expectError(self, 409, 'current_session');
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });
});

describe('GET, POST and DELETE /users/me/tokens', () => {
  const tokenShape = {
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    name: expect.any(String),
    masked: expect.stringMatching(/^pat_…[0-9A-Za-z]{4}$/),
    scope: expect.stringMatching(/^(read|write)$/),
    allowed_ips: null,
    created_at: iso,
    expires_at: iso,
    expired: false,
    last_used_at: null,
    last_used_ip: null,
  };

  it('POST creates a token (201, secret once), it works with its scope, and the tokens page lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user, 'write', 'Creator');
    t.clock.advance(60_000);
    const now = t.clock.now().getTime();
    const res = await api('post', '/users/me/tokens', secret).send({ name: 'Deploy bot', scope: 'read', expires_in_days: 90, allowed_ips: ['127.0.0.1', '::1', '10.0.0.7/8'], current_password: user.password });
    expect(res.status).toBe(201);
    expectApiHeaders(res);
    expect(res.body).toEqual({ ...tokenShape, name: 'Deploy bot', scope: 'read', allowed_ips: ['127.0.0.1', '::1', '10.0.0.0/8'], token: expect.stringMatching(/^pat_[0-9A-Za-z]{36}$/) });
    expect(res.body.masked).toBe(`pat_…${res.body.token.slice(-4)}`);
    expect(new Date(res.body.expires_at).getTime()).toBe(now + 90 * DAY);
    expect(JSON.stringify(await t.deps.db('api_tokens').where({ user_id: user.id }))).not.toContain(res.body.token.slice(4));

    const page = await visitor.get('/profile/tokens');
    expect(page.text).toContain('<h3 class="break">Deploy bot</h3>');
    expect(page.text).toContain(res.body.masked);
    expect(page.text).not.toContain(res.body.token);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('A personal access token was created for your Atrium account');

    const created = res.body.token as string;
    expect((await api('get', '/users/me', created)).status).toBe(200);
    expectError(await api('put', '/users/me', created).send({ first_name: 'A', last_name: 'B' }), 403, 'insufficient_scope');

    const list = await api('get', '/users/me/tokens', created);
    expect(list.status).toBe(200);
    expect(list.body.map((tk: { name: string }) => tk.name)).toEqual(['Deploy bot', 'Creator']);
    expect(list.body[0]).toEqual({ ...tokenShape, id: res.body.id, name: 'Deploy bot', scope: 'read', allowed_ips: ['127.0.0.1', '::1', '10.0.0.0/8'], last_used_at: iso, last_used_ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(list.body[1]).toEqual({ ...tokenShape, name: 'Creator', scope: 'write', last_used_at: iso, last_used_ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(JSON.stringify(list.body)).not.toContain(created);
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('POST accepts an expiry date instead of a number of days', async () => {
    const user = await createUser(t);
    const date = new Date(t.clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10);
    const res = await api('post', '/users/me/tokens', await tokenFor(user)).send({ name: 'Dated', scope: 'write', expires_on: date, current_password: user.password });
    expect(res.status).toBe(201);
    expect(res.body.expires_at).toBe(`${date}T23:59:59.000Z`);
  });

  it('POST refuses bad input field by field, with the form\'s messages', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const post = (body: object) => api('post', '/users/me/tokens', secret).send({ current_password: user.password, ...body });
    const ok = { name: 'x', scope: 'read', expires_in_days: 30 };
    const day = (offset: number) => new Date(t.clock.now().getTime() + offset * DAY).toISOString().slice(0, 10);
    expectError(await post({}), 422, 'validation_failed', { name: 'Enter a name for the token.', scope: 'Choose read only or read and write.' });
    expectError(await post({ ...ok, name: 42 }), 422, 'validation_failed', { name: 'Enter this as text' });
    expectError(await post({ ...ok, name: 'x'.repeat(61) }), 422, 'validation_failed', { name: 'Must be 60 characters or fewer' });
    expectError(await post({ ...ok, scope: 'admin' }), 422, 'validation_failed', { scope: 'Choose read only or read and write.' });
    expectError(await post({ ...ok, expires_in_days: 9999 }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ ...ok, expires_in_days: '30' }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ name: 'x', scope: 'read' }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: '31/12/2027' }), 422, 'validation_failed', { expires_on: 'Enter the expiry date as a date, such as 2027-03-31.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: 20271231 }), 422, 'validation_failed', { expires_on: 'Enter the expiry date as a date, such as 2027-03-31.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: day(-1) }), 422, 'validation_failed', { expires_on: 'The expiry date must be in the future.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: day(400) }), 422, 'validation_failed', { expires_on: 'A token can be valid for at most one year.' });
    expectError(await post({ ...ok, allowed_ips: '10.0.0.1' }), 422, 'validation_failed', { allowed_ips: 'Allowed addresses must be a list of IP addresses or CIDR ranges.' });
    expectError(await post({ ...ok, allowed_ips: [42] }), 422, 'validation_failed', { allowed_ips: 'Allowed addresses must be a list of IP addresses or CIDR ranges.' });
    const hostileIp = await post({ ...ok, allowed_ips: ['10.0.0.1', '<img src=x>'] });
    expectError(hostileIp, 422, 'validation_failed', { allowed_ips: '"<img" is not an IP address or CIDR range.' });
    expectError(await post({ ...ok, allowed_ips: ['10.0.0.0/33'] }), 422, 'validation_failed', { allowed_ips: /is not an IP address or CIDR range\.$/ });
    expect(await t.services.apiTokens.list(user)).toHaveLength(1);
  });

  it('POST stores a hostile name as text: returned as sent, escaped on the tokens page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const hostile = '<script>alert(1)</script>';
    const res = await api('post', '/users/me/tokens', await tokenFor(user)).send({ name: hostile, scope: 'read', expires_in_days: 7, current_password: user.password });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(hostile);
    const page = await visitor.get('/profile/tokens');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
  });

  it('DELETE revokes: 204, the token stops working and the tokens page no longer lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const admin = await tokenFor(user, 'write', 'Admin script');
    const doomed = await tokenFor(user, 'read', 'Doomed script');
    const id = (await t.services.apiTokens.list(user)).find((tk) => tk.name === 'Doomed script')?.id as string;
    expect((await visitor.get('/profile/tokens')).text).toContain('Doomed script');
    const res = await api('delete', `/users/me/tokens/${id}`, admin);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expectError(await api('get', '/users/me', doomed), 401, 'invalid_credentials');
    const page = await visitor.get('/profile/tokens');
    expect(page.text).not.toContain('Doomed script');
    expect(page.text).toContain('Admin script');
    // A token can revoke itself; it stops working at once.
    const adminId = (await t.services.apiTokens.list(user))[0]?.id as string;
    expect((await api('delete', `/users/me/tokens/${adminId}`, admin)).status).toBe(204);
    expectError(await api('get', '/users/me', admin), 401, 'invalid_credentials');
  });

  it('DELETE of an unknown, malformed or someone else\'s token id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const othersSecret = await tokenFor(other, 'read', 'Not yours');
    const othersId = (await t.services.apiTokens.list(other))[0]?.id as string;
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/tokens/${UNKNOWN_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such token.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/tokens/not-a-uuid', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/tokens/${'9'.repeat(40)}`, secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/tokens/${othersId}`, secret), 404, 'not_found');
    expect((await api('get', '/users/me', othersSecret)).status).toBe(200);
  });
});

describe('GET, POST and DELETE /users/me/ssh-keys', () => {
  it('POST adds a key (201) that the keys page and the authorized_keys URL show; GET lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const key = ed25519Key('jane@work-laptop');
    const res = await api('post', '/users/me/ssh-keys', secret).send({ title: 'Work laptop', key: `${key.line}\n` });
    expect(res.status).toBe(201);
    expectApiHeaders(res);
    const expected = { id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: 'Work laptop', type: 'ED25519', bits: 256, fingerprint: key.fingerprint, comment: 'jane@work-laptop', public_key: key.publicKey, created_at: iso };
    expect(res.body).toEqual(expected);

    const page = await visitor.get('/profile/keys');
    expect(page.text).toContain('<h3 class="break">Work laptop</h3>');
    expect(page.text).toContain(key.fingerprint);
    expect((await request(t.app).get(`/users/${user.username}.keys`)).text).toBe(`${key.publicKey}\n`);

    const list = await api('get', '/users/me/ssh-keys', await tokenFor(user, 'read'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expected]);
  });

  it('POST refuses bad input field by field: missing, mistyped, overlong, private, malformed, duplicate', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const post = (body: object) => api('post', '/users/me/ssh-keys', secret).send(body);
    const key = ed25519Key();
    expectError(await post({}), 422, 'validation_failed', { title: 'Enter a title for the key.', key: 'Paste your public key.' });
    expectError(await post({ title: 7, key: key.line }), 422, 'validation_failed', { title: 'Enter this as text' });
    expectError(await post({ title: 'x', key: 7 }), 422, 'validation_failed', { key: 'Enter this as text' });
    expectError(await post({ title: 'x'.repeat(101), key: key.line }), 422, 'validation_failed', { title: 'Must be 100 characters or fewer' });
    expectError(await post({ title: 'x', key: 'A'.repeat(16_385) }), 422, 'validation_failed', { key: 'Must be 16384 characters or fewer' });
    expectError(await post({ title: 'x', key: '   ' }), 422, 'validation_failed', { key: 'Paste your public key.' });
    expectError(await post({ title: 'x', key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----' }), 422, 'validation_failed', { key: /This is a private key/ });
    expectError(await post({ title: 'x', key: 'ssh-ed25519 not*base64 me' }), 422, 'validation_failed', { key: 'This is not a valid SSH public key. Paste the whole line from your .pub file.' });
    expectError(await post({ title: 'x', key: '<script>alert(1)</script>' }), 422, 'validation_failed', { key: 'This is not a valid SSH public key. Paste the whole line from your .pub file.' });
    expect((await post({ title: 'First', key: key.line })).status).toBe(201);
    expectError(await post({ title: 'Again', key: key.line }), 422, 'validation_failed', { key: 'This key is already in use. Each key can belong to one account only.' });
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);
  });

  it('POST stores a hostile title and comment as text: returned as sent, escaped on the keys page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const hostile = '<script>alert(1)</script>';
    const res = await api('post', '/users/me/ssh-keys', await tokenFor(user)).send({ title: hostile, key: ed25519Key('<img src=x onerror=alert(2)>').line });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe(hostile);
    const page = await visitor.get('/profile/keys');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
    expect(page.text).not.toContain('<img src=x');
  });

  it('DELETE removes a key: 204, and the keys page no longer shows it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user);
    const keep = await t.services.sshKeys.add(user, { title: 'Keeper', key: ed25519Key().line }, ctx);
    const doomed = await t.services.sshKeys.add(user, { title: 'Old desktop', key: ed25519Key().line }, ctx);
    expect((await visitor.get('/profile/keys')).text).toContain('Old desktop');
    const res = await api('delete', `/users/me/ssh-keys/${doomed.id}`, secret);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    const page = await visitor.get('/profile/keys');
    expect(page.text).not.toContain('Old desktop');
    expect(page.text).not.toContain(doomed.fingerprint);
    expect(page.text).toContain(keep.fingerprint);
    expect((await request(t.app).get(`/users/${user.username}.keys`)).text).toBe(`${keep.publicKey}\n`);
  });

  it('DELETE of an unknown, malformed or someone else\'s key id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const othersKey = await t.services.sshKeys.add(other, { title: 'Not yours', key: ed25519Key().line }, ctx);
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/ssh-keys/${UNKNOWN_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such SSH key.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/ssh-keys/1%20OR%201=1', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/ssh-keys/${othersKey.id.toUpperCase()}x`, secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/ssh-keys/${othersKey.id}`, secret), 404, 'not_found');
    expect(await t.services.sshKeys.list(other)).toHaveLength(1);
  });
});

describe('App passwords over HTTP Basic', () => {
  const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  it('work on the API with their scope', async () => {
    const user = await createUser(t);
    const { secret: readPw } = await t.services.appPasswords.create(user, { name: 'Mail client', scope: 'read' }, ctx);
    const { secret: writePw } = await t.services.appPasswords.create(user, { name: 'Sync tool', scope: 'write' }, ctx);
    const me = await api('get', '/users/me').set('Authorization', basic(user.username, readPw));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
    expectApiHeaders(me);
    expectError(await api('put', '/users/me').set('Authorization', basic(user.username, readPw)).send({ first_name: 'R', last_name: 'O' }), 403, 'insufficient_scope');
    const write = await api('put', '/users/me').set('Authorization', basic(user.username, writePw)).send({ first_name: 'Basic', last_name: 'Auth' });
    expect(write.status).toBe(200);
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Basic');
    const [used] = (await t.services.appPasswords.list(user)).filter((p) => p.name === 'Sync tool');
    expect(used?.lastUsedAt).not.toBeNull();
  });

  it('a wrong app password, the account password or someone else\'s app password: 401 invalid_credentials', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const { secret: othersPw } = await t.services.appPasswords.create(other, { name: 'Theirs', scope: 'write' }, ctx);
    for (const [name, password] of [
      [user.username, 'abcd-efgh-ijkl-mnop'],
      [user.username, user.password],
      [user.username, othersPw],
      ['no-such-user', othersPw],
    ] as const) {
      const res = await api('get', '/users/me').set('Authorization', basic(name, password));
      expectError(res, 401, 'invalid_credentials');
      expectApiHeaders(res);
    }
  });

  it('do not work on the web sign-in form', async () => {
    const user = await createUser(t);
    const { secret } = await t.services.appPasswords.create(user, { name: 'Client', scope: 'write' }, ctx);
    const res = await signInForm(user.username, secret);
    expect(res.status).toBe(422);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('The username, email address or password is not right.');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(0);
  });
});

describe('The browser session on the API', () => {
  it('GET works with the cookie; a change needs the X-CSRF-Token header', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const me = await visitor.agent.get(`${BASE}/users/me`).set('Accept', 'application/json');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(user.username);
    expectApiHeaders(me);

    const forged = await visitor.agent.put(`${BASE}/users/me`).set('Accept', 'application/json').send({ first_name: 'Forged', last_name: 'Request' });
    expectError(forged, 403, 'csrf_failed');
    const wrongToken = await visitor.agent.put(`${BASE}/users/me`).set('Accept', 'application/json').set('X-CSRF-Token', 'x'.repeat(64)).send({ first_name: 'Forged', last_name: 'Request' });
    expectError(wrongToken, 403, 'csrf_failed');
    expect((await t.services.repos.users.findById(user.id))?.firstName).toBe('Jane');

    await visitor.get('/profile/account');
    const ok = await visitor.agent.put(`${BASE}/users/me`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf()).send({ first_name: 'Cookie', last_name: 'Monster' });
    expect(ok.status).toBe(200);
    expect(ok.body.first_name).toBe('Cookie');
    expectApiHeaders(ok);
    expect((await visitor.get('/profile/account')).text).toContain('value="Cookie"');
  });
});

describe('Caching and rate limits', () => {
  it('every answer is no-store and reports the limits; the per-client count goes down by one per call', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user, 'read');
    const remaining = (res: Response) => {
      const match = /"api-client";r=(\d+);t=\d+/.exec(String(res.headers['ratelimit']));
      if (!match) throw new Error(`no api-client limit in ${res.headers['ratelimit']}`);
      return Number(match[1]);
    };
    const first = await api('get', '/users/me', secret);
    const second = await api('get', '/users/me/tokens', secret);
    expectApiHeaders(first);
    expectApiHeaders(second);
    expect(remaining(first)).toBe(599);
    expect(remaining(second)).toBe(remaining(first) - 1);
    // Another client has its own count.
    expect(remaining(await api('get', '/users/me', await tokenFor(user, 'read', 'second')))).toBe(599);
  });
});
