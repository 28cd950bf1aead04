// GET and DELETE /api/v1/users/me/identities: the Connections tab's list and its Disconnect.
import request from 'supertest';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider } from '../../helpers/identity-providers';
import { UNKNOWN_ID, apiHelpers, expectApiHeaders, expectError, iso } from '../api/api-test-helpers';

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }], {}, { mail: true });
const { api, tokenFor } = apiHelpers(t);

const MINUTE = 60_000;
let count = 0;

/** An identity of `userId` at `provider`, stored as a connection through the provider would store it. */
async function identityOf(userId: string, provider = 'corp', details: { email?: string; displayName?: string } = {}) {
  count += 1;
  return t.repos.identities.insert({ userId, provider, issuer: provider === 'corp' ? t.providers.corp!.issuer : 'https://old-idp.example.com', subject: `api-${count}`, email: details.email ?? null, displayName: details.displayName ?? null, now: t.clock.now() });
}

describe('GET /users/me/identities', () => {
  it('lists the connections, oldest first, with what the provider said and whether it is still offered; a read token may', async () => {
    const user = await createUser(t);
    const corp = await identityOf(user.id, 'corp', { email: 'jane@corp.example', displayName: 'Jane Corp' });
    t.clock.advance(MINUTE);
    const gone = await identityOf(user.id, 'gone');
    const res = await api('get', '/users/me/identities', await tokenFor(user, 'read'));
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toEqual([
      { id: corp.id, provider: 'corp', provider_name: 'Corp SSO', provider_configured: true, email: 'jane@corp.example', name: 'Jane Corp', created_at: iso, last_used_at: iso },
      { id: gone.id, provider: 'gone', provider_name: 'gone', provider_configured: false, email: null, name: null, created_at: iso, last_used_at: iso },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('api-');
    expect((await api('get', '/users/me/identities', await tokenFor(await createUser(t), 'read'))).body).toEqual([]);
  });

  it('without credentials: 401', async () => {
    expectError(await api('get', '/users/me/identities'), 401, 'unauthenticated');
  });
});

describe('DELETE /users/me/identities/{id}', () => {
  it('disconnects: 204, the tab no longer lists it, and the owner is told by mail', async () => {
    const user = await createUser(t, { email: 'apidel@example.com' });
    const identity = await identityOf(user.id);
    const res = await api('delete', `/users/me/identities/${identity.id}`, await tokenFor(user));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expect(await t.repos.identities.listByUser(user.id)).toEqual([]);
    expect((await t.repos.events.all(user.id)).map((e) => [e.type, e.data])).toContainEqual(['identity_disconnected', { name: 'Corp SSO' }]);
    await t.deliverMail();
    expect(t.mail.last('apidel@example.com').text).toContain('The Corp SSO identity was disconnected');
  });

  it('a malformed, unknown or someone else\'s id is a 404 in words, and nothing is removed', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const theirs = await identityOf(other.id);
    const mine = await identityOf(user.id);
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/identities/${UNKNOWN_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such connection.');
    expectError(await api('delete', `/users/me/identities/${theirs.id}`, secret), 404, 'not_found');
    for (const bad of ['1%20OR%201=1', `${theirs.id.toUpperCase()}x`, 'a'.repeat(3000), '%3Cscript%3E', '..%2F..%2Fusers%2Fme']) {
      expectError(await api('delete', `/users/me/identities/${bad}`, secret), 404, 'not_found');
    }
    expect(await t.repos.identities.listByUser(other.id)).toHaveLength(1);
    expect((await t.repos.identities.listByUser(user.id)).map((i) => i.id)).toEqual([mine.id]);
  });

  it('without credentials 401, with a read-only token 403, and nothing is removed', async () => {
    const user = await createUser(t);
    const identity = await identityOf(user.id);
    expectError(await api('delete', `/users/me/identities/${identity.id}`), 401, 'unauthenticated');
    expectError(await api('delete', `/users/me/identities/${identity.id}`, await tokenFor(user, 'read')), 403, 'insufficient_scope');
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);
  });

  it('from a browser session, needs a recent sign-in (403 reauth_required) like the page', async () => {
    const user = await createUser(t);
    const identity = await identityOf(user.id);
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/connections');
    t.clock.advance(11 * MINUTE);
    const stale = await visitor.agent.delete(`/api/v1/users/me/identities/${identity.id}`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
    expectError(stale, 403, 'reauth_required');
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);
  });

  it('never the last way in: 409 last_way_in for an account without a password, passkey or other connection', async () => {
    const user = await t.repos.users.insert({ username: 'apionly', email: 'apionly@example.com', firstName: 'Api', lastName: 'Only', passwordHash: null, language: 'en', theme: null, now: t.clock.now(), source: 'oidc' });
    await t.providers.corp!.addAccount({ sub: 'apionly-sub' });
    const only = await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: 'apionly-sub', email: null, displayName: null, now: t.clock.now() });
    const secret = await tokenFor(user);
    const refused = await api('delete', `/users/me/identities/${only.id}`, secret);
    expectError(refused, 409, 'last_way_in');
    expect(refused.body.error.message).toBe('Corp SSO is the only way to sign in to your account, so it cannot be disconnected. Set a password first (we email you a link), or add a passkey.');
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);

    // A second connection is another way in: either one may then go, but not both.
    const second = await identityOf(user.id, 'gone');
    expect((await api('delete', `/users/me/identities/${second.id}`, secret)).status).toBe(204);
    expectError(await api('delete', `/users/me/identities/${only.id}`, secret), 409, 'last_way_in');
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: 'apionly-sub' })).headers.location).toBe('/');
  });

  it('two disconnects at once of an account\'s only two ways in leave one', async () => {
    const user = await t.repos.users.insert({ username: 'racer', email: 'racer@example.com', firstName: 'Ra', lastName: 'Cer', passwordHash: null, language: 'en', theme: null, now: t.clock.now(), source: 'oidc' });
    const first = await identityOf(user.id, 'corp');
    const second = await identityOf(user.id, 'gone');
    const secret = await tokenFor(user);
    const answers = await Promise.all([first, second].map((i) => api('delete', `/users/me/identities/${i.id}`, secret)));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    expect(doc.paths['/users/me/identities']?.get?.operationId).toBe('listIdentities');
    expect(Object.keys(doc.paths['/users/me/identities/{id}']?.delete?.responses ?? {})).toEqual(expect.arrayContaining(['204', '404', '409']));
  });
});
