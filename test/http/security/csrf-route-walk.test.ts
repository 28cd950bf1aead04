// Every route that changes something checks the CSRF token, whatever the body's content
// type and whatever Authorization header rides along. The routes come from the live
// router, so a route added later is walked without anyone listing it.
import type { Test } from 'supertest';
import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { solidPng } from '../../helpers/images';
import { changesState, concretePath, isApiRoute, routeList, type RouteEntry } from '../../helpers/route-list';

const t = describeApp();

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

/** A signed-in person whose session holds a CSRF token (a page with forms was shown), plus their API credentials. */
async function signedInWithCredentials() {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  expect((await visitor.get('/profile/account')).status).toBe(200);
  const { secret: token } = await t.services.apiTokens.create(user, { name: 'write', scope: 'write', expires: '30' }, ctx);
  const { secret: appPassword } = await t.services.appPasswords.create(user, { name: 'mail client', scope: 'write' }, ctx);
  return { user, visitor, token, appPassword };
}

type Variant = { name: string; send: (req: Test) => Promise<{ status: number; body: { error?: { code?: string } } }> };

function variants(credentials: { username: string; token: string; appPassword: string }, png: Buffer): Variant[] {
  const basic = Buffer.from(`${credentials.username}:${credentials.appPassword}`).toString('base64');
  return [
    { name: 'url-encoded', send: async (req) => req.type('form').send({ name: 'x', new_device: 'on' }) },
    { name: 'JSON', send: async (req) => req.type('json').send({ name: 'x', new_device: 'on' }) },
    { name: 'multipart', send: async (req) => req.field('name', 'x').attach('avatar', png, { filename: 'a.png', contentType: 'image/png' }) },
    { name: 'multipart with a forged _csrf field', send: async (req) => req.field('_csrf', 'f'.repeat(64)).attach('avatar', png, { filename: 'a.png', contentType: 'image/png' }) },
    { name: 'url-encoded with Authorization: Bearer x', send: async (req) => req.set('Authorization', 'Bearer x').type('form').send({ name: 'x' }) },
    { name: 'url-encoded with a valid write token as Bearer', send: async (req) => req.set('Authorization', `Bearer ${credentials.token}`).type('form').send({ name: 'x' }) },
    { name: 'url-encoded with a valid app password as Basic', send: async (req) => req.set('Authorization', `Basic ${basic}`).type('form').send({ name: 'x' }) },
  ];
}

/** Sends `variant` to every route in `routes` from `visitor`; returns the answers that were not 403 csrf_failed. */
async function accepted(visitor: Visitor, routes: RouteEntry[], variant: Variant): Promise<string[]> {
  const through: string[] = [];
  for (const route of routes) {
    const req = visitor.agent[route.method](concretePath(route)).set('Accept', 'application/json');
    const res = await variant.send(req);
    if (res.status !== 403 || res.body.error?.code !== 'csrf_failed') through.push(`${route.label}: ${res.status} ${res.body.error?.code ?? ''}`.trim());
  }
  return through;
}

describe('The CSRF route walk', () => {
  it('finds the state-changing browser routes of every feature in the live router', () => {
    const labels = routeList(t.app).filter((r) => changesState(r) && !isApiRoute(r)).map((r) => r.label);
    for (const expected of ['POST /login', 'POST /logout', 'POST /profile/account/avatar', 'POST /profile/preferences/notices', 'POST /profile/security/recovery-codes', 'POST /profile/account/email/cancel', 'POST /profile/keys/:id/delete', 'POST /profile/delete', 'POST /not-me/:token', 'POST /password/strength']) {
      expect(labels).toContain(expected);
    }
  });

  it('refuses, with 403 csrf_failed, a signed-in request without the token to every state-changing browser route, in every content type and with any Authorization header', async () => {
    const routes = routeList(t.app).filter((r) => changesState(r) && !isApiRoute(r));
    const { user, visitor, token, appPassword } = await signedInWithCredentials();
    const png = await solidPng(8, 8);
    const failures: Record<string, string[]> = {};
    for (const variant of variants({ username: user.username, token, appPassword }, png)) {
      const through = await accepted(visitor, routes, variant);
      if (through.length) failures[variant.name] = through;
    }
    expect(failures).toEqual({});
    // Nothing was done on the way: the person is still signed in, with the same account.
    expect((await visitor.get('/profile/account')).status).toBe(200);
    expect((await t.repos.users.findById(user.id))?.email).toBe(user.email);
  });
});

describe('Multipart posts without a token (the reproduced attack)', () => {
  it('do not sign out, change notices, make new recovery codes or cancel an email change', async () => {
    const { user, visitor } = await signedInWithCredentials();
    await t.services.emailChange.request(user, 'new-address@example.com', ctx);
    const codesBefore = await t.repos.authenticators.findRecoveryCodes(user.id);
    for (const action of ['/profile/preferences/notices', '/profile/security/recovery-codes', '/profile/account/email/cancel', '/logout']) {
      const res = await visitor.agent.post(action).set('Accept', 'text/html').field('new_device', 'off').attach('file', Buffer.from('x'), { filename: 'x.txt', contentType: 'text/plain' });
      expect({ action, status: res.status }).toEqual({ action, status: 403 });
      expect(res.text).toContain('This form expired, please try again.');
    }
    expect((await visitor.get('/profile/account')).status).toBe(200);
    expect(await t.services.emailChange.pending(user)).not.toBeNull();
    expect(await t.repos.authenticators.findRecoveryCodes(user.id)).toEqual(codesBefore);
  });

  it('an upload route still accepts its form with the token in the multipart body', async () => {
    const { user, visitor } = await signedInWithCredentials();
    const res = await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', visitor.csrf()).attach('avatar', await solidPng(64, 64), { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    expect((await t.repos.users.findById(user.id))?.avatarHash).toBeTruthy();
  });

  it('a multipart body on a route that takes no upload is not read for a token: the post is refused even with the right one', async () => {
    const { visitor } = await signedInWithCredentials();
    const res = await visitor.agent.post('/logout').set('Accept', 'text/html').field('_csrf', visitor.csrf()).attach('file', Buffer.from('x'), { filename: 'x.txt', contentType: 'text/plain' });
    expect(res.status).toBe(403);
    expect((await visitor.get('/profile/account')).status).toBe(200);
    // The same token in an ordinary form works.
    expect((await visitor.post('/logout', { _csrf: visitor.csrf() })).status).toBe(303);
  });
});
