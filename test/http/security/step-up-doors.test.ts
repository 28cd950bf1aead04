// A sensitive operation asks for a recent sign-in whichever door it is reached by: the
// page, or the JSON API from the same browser session. What each operation demands is
// stated once (src/features/sessions/operations.ts); the pairs are found in the live router.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { concretePath, isApiRoute, operationOf, routeList, type RouteEntry } from '../../helpers/route-list';
import { ed25519Key } from '../api/api-test-helpers';

const t = describeApp();

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

/**
 * A signed-in person whose step-up window was just closed with "Drop", as the pages offer:
 * an administrator, so that the console's doors are tried as well as the profile's.
 */
async function staleSession(language?: 'de') {
  const user = await createUser(t, { language, admin: true });
  const visitor = await signedIn(t, user);
  await visitor.get('/profile/sessions');
  expect((await visitor.post('/reauth/drop', { _csrf: visitor.csrf(), next: '/profile/sessions' })).status).toBe(303);
  await visitor.get('/profile/account');
  const api = (method: 'get' | 'post' | 'put' | 'delete', path: string) => visitor.agent[method](`/api/v1${path}`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
  return { user, visitor, api };
}

async function reauthenticate(visitor: Visitor, password: string): Promise<void> {
  const prompt = await visitor.get('/reauth?next=%2Fprofile%2Faccount');
  expect((await visitor.post('/reauth', { _csrf: visitor.csrf(), password, next: '/profile/account' })).status).toBe(303);
  expect(prompt.status).toBe(200);
  await visitor.get('/profile/account');
}

/** Whether a door sent the person to confirm their identity: /reauth for pages, 403 reauth_required for the API. */
async function demandsStepUp(visitor: Visitor, route: RouteEntry): Promise<boolean> {
  const path = concretePath(route);
  if (isApiRoute(route)) {
    const res = await visitor.agent[route.method](path).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf()).send({});
    return res.status === 403 && res.body.error?.code === 'reauth_required';
  }
  const req = visitor.agent[route.method](path).set('Accept', 'text/html');
  const res = route.method === 'get' ? await req : await req.type('form').send({ _csrf: visitor.csrf() });
  return res.status === 303 && String(res.headers.location).startsWith('/reauth?');
}

/** Operations reachable through both a page and an API endpoint, from the live router. */
function pairs() {
  const doors = new Map<string, { recentAuth: boolean; pages: RouteEntry[]; endpoints: RouteEntry[] }>();
  for (const route of routeList(t.app)) {
    const operation = operationOf(route);
    if (!operation) continue;
    const entry = doors.get(operation.name) ?? { recentAuth: operation.recentAuth, pages: [], endpoints: [] };
    (isApiRoute(route) ? entry.endpoints : entry.pages).push(route);
    doors.set(operation.name, entry);
  }
  return [...doors].filter(([, d]) => d.pages.length > 0 && d.endpoints.length > 0);
}

describe('The HTML and JSON doors of one operation', () => {
  it('every API endpoint names its operation in the operations table', () => {
    const unnamed = routeList(t.app).filter((r) => isApiRoute(r) && r.path !== '/api/v1/openapi.json' && !operationOf(r)).map((r) => r.label);
    expect(unnamed).toEqual([]);
  });

  it('demand the same step-up, as the table says, for every operation that has both', async () => {
    const found = pairs();
    expect(found.map(([name]) => name)).toEqual(expect.arrayContaining(['addSshKey', 'exportData', 'revokeSession', 'changeEmail', 'deleteAccount', 'changeName']));
    const { user, visitor } = await staleSession();
    const stale: unknown[] = [];
    const fresh: unknown[] = [];
    for (const [name, d] of found) {
      for (const door of [...d.pages, ...d.endpoints]) stale.push({ name, door: door.label, demands: await demandsStepUp(visitor, door) });
    }
    await reauthenticate(visitor, user.password);
    for (const [name, d] of found) {
      for (const door of [...d.pages, ...d.endpoints]) fresh.push({ name, door: door.label, demands: await demandsStepUp(visitor, door) });
    }
    const expected = (after: boolean) => found.flatMap(([name, d]) => [...d.pages, ...d.endpoints].map((door) => ({ name, door: door.label, demands: after ? false : d.recentAuth })));
    expect(stale).toEqual(expected(false));
    expect(fresh).toEqual(expected(true));
  });
});

describe('The JSON API from a browser session whose step-up window was dropped (the reproduced attacks)', () => {
  it('cannot add an SSH key: 403 reauth_required until they re-authenticate', async () => {
    const { user, visitor, api } = await staleSession();
    const refused = await api('post', '/users/me/ssh-keys').send({ title: 'Sneaky', key: ed25519Key().line });
    expect({ status: refused.status, code: refused.body.error?.code, message: refused.body.error?.message }).toEqual({ status: 403, code: 'reauth_required', message: 'Confirm your identity first.' });
    expect(await t.services.sshKeys.list(user)).toHaveLength(0);
    await reauthenticate(visitor, user.password);
    expect((await api('post', '/users/me/ssh-keys').send({ title: 'Mine', key: ed25519Key().line })).status).toBe(201);
  });

  it('cannot download the data export (the refusal is in the person\'s language)', async () => {
    const { user, visitor, api } = await staleSession('de');
    const refused = await api('get', '/users/me/export');
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'reauth_required' });
    expect(refused.body.error.message).toBe(t.deps.catalogues.translator('de')('reauth.required'));
    expect(refused.body.email).toBeUndefined();
    await reauthenticate(visitor, user.password);
    expect((await api('get', '/users/me/export')).status).toBe(200);
  });

  it('cannot sign out another device', async () => {
    const { user, visitor, api } = await staleSession();
    const phone = await signedIn(t, user);
    const listed = await api('get', '/users/me/sessions');
    const other = (listed.body as Array<{ id: string; current: boolean }>).find((s) => !s.current);
    const refused = await api('delete', `/users/me/sessions/${other?.id}`);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'reauth_required' });
    expect((await phone.get('/profile/account')).status).toBe(200);
    await reauthenticate(visitor, user.password);
    expect((await api('delete', `/users/me/sessions/${other?.id}`)).status).toBe(204);
    expect((await phone.get('/profile/account')).status).toBe(303);
  });

  it('a token keeps its own step-up: no recent sign-in to ask for, current_password where the endpoint asks for it', async () => {
    const user = await createUser(t);
    const { secret } = await t.services.apiTokens.create(user, { name: 'script', scope: 'write', expires: '30' }, ctx);
    const asToken = (method: 'post' | 'put', path: string) => request(t.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${secret}`);
    expect((await asToken('post', '/users/me/ssh-keys').send({ title: 'CI', key: ed25519Key().line })).status).toBe(201);
    const noPassword = await asToken('put', '/users/me/email').send({ email: 'elsewhere@example.com' });
    expect({ status: noPassword.status, field: Object.keys(noPassword.body.error?.fields ?? {}) }).toEqual({ status: 422, field: ['current_password'] });
  });
});
