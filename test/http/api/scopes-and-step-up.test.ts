// What a read-only token may not do, and the password (and authenticator code) that
// sensitive changes ask for even with a write token.
import crypto from 'node:crypto';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';
import { totpAt } from '../../helpers/totp';
import { READS, WRITES, apiHelpers, ctx, ed25519Key, expectApiHeaders, expectError, label, type Method, type Person } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, signInForm, tokenFor, withTotp } = apiHelpers(t);

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
    const after = await t.repos.users.findById(user.id);
    expect([after?.firstName, after?.email, after?.avatarHash]).toEqual(['Jane', user.email, null]);
    expect(await t.services.apiTokens.list(user)).toHaveLength(1);
    expect(await t.services.sshKeys.list(user)).toHaveLength(1);
    expect((await visitor.get('/profile/account')).status).toBe(200);
    expect((await signInForm(user.username, user.password)).status).toBe(303);
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
      done: async (user) => (await t.repos.users.findById(user.id))?.passwordHash !== user.passwordHash,
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
      done: async (user) => (await t.repos.users.findById(user.id)) === undefined,
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
