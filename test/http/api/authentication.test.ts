// Who may call the API: bearer tokens, app passwords over HTTP Basic and the browser session,
// what a caller without valid credentials gets, and the headers every answer carries.
import request from 'supertest';
import type { Response } from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';
import { BASE, DAY, ENDPOINTS, READS, WRITES, apiHelpers, concrete, ctx, ed25519Key, expectApiHeaders, expectError, label } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, signInForm, tokenFor } = apiHelpers(t);

describe('The endpoint list of this test', () => {
  // The administrators' operations answer 404 to everyone else, unauthenticated callers
  // included: the authorization matrix decides each of them (test/http/security).
  it('is exactly the documented operations, but the administrators\' ones', async () => {
    const doc = (await request(t.app).get(`${BASE}/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((operation) => !operation.includes(' /admin/')).sort()).toEqual(ENDPOINTS.map(label).sort());
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
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Jane');
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
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Jane');
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
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Basic');
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
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Jane');

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
