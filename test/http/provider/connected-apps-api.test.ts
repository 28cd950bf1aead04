// GET and DELETE /api/v1/users/me/apps: the Connected apps tab's list and its Revoke.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { allowedApp, allowedClientIds, grantFor, registeredApp, tokenUnder } from '../../helpers/connected-apps';
import { createUser, signedIn } from '../../helpers/factories';
import { UNKNOWN_CLIENT_ID, apiHelpers, expectApiHeaders, expectError, iso } from '../api/api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, tokenFor } = apiHelpers(t);

const MINUTE = 60_000;

describe('GET /users/me/apps', () => {
  it('lists the applications the person allowed, oldest first, with what each may see; a read token may', async () => {
    const user = await createUser(t);
    const wiki = await registeredApp(t, 'Team Wiki');
    const grant = await grantFor(t, user.id, wiki, 'openid profile email');
    t.clock.advance(MINUTE);
    const builds = await allowedApp(t, user.id, 'Build Server', 'openid offline_access');
    await tokenUnder(t, user.id, wiki, grant, 'AccessToken');
    await allowedApp(t, (await createUser(t)).id, 'Their Calendar');

    const res = await api('get', '/users/me/apps', await tokenFor(user, 'read'));
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toEqual([
      { client_id: wiki, name: 'Team Wiki', scopes: ['openid', 'profile', 'email'], allowed_at: iso, last_used_at: iso },
      { client_id: builds, name: 'Build Server', scopes: ['openid', 'offline_access'], allowed_at: iso, last_used_at: null },
    ]);
    expect(Date.parse(res.body[0].allowed_at)).toBeLessThan(Date.parse(res.body[1].allowed_at));
    expect(JSON.stringify(res.body)).not.toContain(grant);
    expect((await api('get', '/users/me/apps', await tokenFor(await createUser(t), 'read'))).body).toEqual([]);
  });

  it('from the browser session (with its X-CSRF-Token) as well', async () => {
    const user = await createUser(t);
    const wiki = await allowedApp(t, user.id, 'Team Wiki');
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/apps');
    const res = await visitor.agent.get('/api/v1/users/me/apps').set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
    expect(res.status).toBe(200);
    expect(res.body.map((app: { client_id: string }) => app.client_id)).toEqual([wiki]);
  });

  it('without credentials: 401', async () => {
    expectError(await api('get', '/users/me/apps'), 401, 'unauthenticated');
  });
});

describe('DELETE /users/me/apps/{client_id}', () => {
  it('revokes: 204, the grant and its tokens are gone, the tab no longer lists it, and the activity log has it', async () => {
    const user = await createUser(t);
    const wiki = await registeredApp(t, 'Team Wiki');
    const grant = await grantFor(t, user.id, wiki);
    const refresh = await tokenUnder(t, user.id, wiki, grant);
    const kept = await allowedApp(t, user.id, 'Build Server');
    const res = await api('delete', `/users/me/apps/${wiki}`, await tokenFor(user));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expect(await t.repos.oidcPayloads.find('Grant', grant, t.clock.now())).toBeUndefined();
    expect(await t.repos.oidcPayloads.find('RefreshToken', refresh, t.clock.now())).toBeUndefined();
    expect(await allowedClientIds(t, user.id)).toEqual([kept]);
    expect((await t.repos.events.all(user.id)).map((e) => [e.type, e.data])).toContainEqual(['app_revoked', { name: 'Team Wiki' }]);
    const visitor = await signedIn(t, user);
    expect((await visitor.get('/profile/apps')).text).not.toContain('Team Wiki');
  });

  it('from the browser session: needs its X-CSRF-Token, but no recent sign-in (it only takes access away)', async () => {
    const user = await createUser(t);
    const wiki = await allowedApp(t, user.id, 'Team Wiki');
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/apps');
    t.clock.advance(30 * MINUTE);
    const forged = await visitor.agent.delete(`/api/v1/users/me/apps/${wiki}`).set('Accept', 'application/json');
    expectError(forged, 403, 'csrf_failed');
    expect(await allowedClientIds(t, user.id)).toEqual([wiki]);
    const res = await visitor.agent.delete(`/api/v1/users/me/apps/${wiki}`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
    expect(res.status).toBe(204);
    expect(await allowedClientIds(t, user.id)).toEqual([]);
  });

  it('someone else\'s application, one never allowed, an unknown or a hostile client id is a 404 in words, and nothing is revoked', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const theirs = await allowedApp(t, other.id, 'Their Calendar');
    const neverAllowed = await registeredApp(t, 'Never Allowed');
    const mine = await allowedApp(t, user.id, 'Team Wiki');
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/apps/${UNKNOWN_CLIENT_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('No such connected application.');
    for (const client of [theirs, neverAllowed, `${mine}x`, 'a'.repeat(3000), '%00', "1'%20OR%20'1'='1", '%3Cscript%3E', '..%2F..%2Fusers%2Fme', '%E2%80%AE']) {
      expectError(await api('delete', `/users/me/apps/${client}`, secret), 404, 'not_found');
    }
    expect(await allowedClientIds(t, other.id)).toEqual([theirs]);
    expect(await allowedClientIds(t, user.id)).toEqual([mine]);
  });

  it('without credentials 401, with a read-only token 403, and nothing is revoked', async () => {
    const user = await createUser(t);
    const wiki = await allowedApp(t, user.id, 'Team Wiki');
    expectError(await api('delete', `/users/me/apps/${wiki}`), 401, 'unauthenticated');
    expectError(await api('delete', `/users/me/apps/${wiki}`, await tokenFor(user, 'read')), 403, 'insufficient_scope');
    expect(await allowedClientIds(t, user.id)).toEqual([wiki]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    expect(doc.paths['/users/me/apps']?.get?.operationId).toBe('listConnectedApps');
    expect(doc.paths['/users/me/apps/{client_id}']?.delete?.operationId).toBe('revokeConnectedApp');
    expect(Object.keys(doc.paths['/users/me/apps/{client_id}']?.delete?.responses ?? {})).toEqual(expect.arrayContaining(['204', '404']));
  });
});
