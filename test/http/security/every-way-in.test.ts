import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { liveRoutes } from '../../helpers/route-list';
import { assert, attest, newCredential, type SoftCredential } from '../../helpers/webauthn';

const ORIGIN = 'http://localhost:3000';
const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

const t = describeApp({ BASE_URL: ORIGIN });

async function json(visitor: Visitor, path: string, body: object = {}) {
  const page = visitor.lastPage.includes('_csrf') ? visitor.lastPage : (await visitor.get('/login')).text;
  return visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page)).send(body);
}

async function registerPasskey(visitor: Visitor, credential: SoftCredential): Promise<void> {
  await visitor.get('/profile/security');
  const options = await json(visitor, '/profile/security/passkeys/options');
  const res = await json(visitor, '/profile/security/passkeys', { response: attest(credential, options.body, ORIGIN) });
  expect(res.status).toBe(200);
}

async function passkeySignIn(credential: SoftCredential) {
  const visitor = new Visitor(t.app);
  await visitor.get('/login');
  const options = await json(visitor, '/login/passkey/options');
  return json(visitor, '/login/passkey', { response: assert(credential, options.body, ORIGIN) });
}

/** Every way into one account, each tried once: true where it let the caller in. */
async function waysIn(person: { username: string; password: string }, credential: SoftCredential, token: string, appPassword: string) {
  const basic = Buffer.from(`${person.username}:${appPassword}`).toString('base64');
  return {
    passwordAccepted: (await new Visitor(t.app).submit('/login', { identifier: person.username, password: person.password })).status === 303,
    passkey: (await passkeySignIn(credential)).status === 200,
    token: (await request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${token}`)).status === 200,
    appPassword: (await request(t.app).get('/api/v1/users/me').set('Authorization', `Basic ${basic}`)).status === 200,
  };
}

describe('Every way into an account', () => {
  it('is stopped by an operator lock, which also ends the sessions at once; unlocking opens them all again', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const credential = newCredential();
    await registerPasskey(visitor, credential);
    const { secret: token } = await t.services.apiTokens.create(user, { name: 'script', scope: 'read', expires: '30' }, ctx);
    const { secret: appPassword } = await t.services.appPasswords.create(user, { name: 'mail client', scope: 'read' }, ctx);
    expect(await waysIn(user, credential, token, appPassword)).toEqual({ passwordAccepted: true, passkey: true, token: true, appPassword: true });

    await t.services.adminUsers.setLocked(user.username, true);
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect(String((await visitor.get('/profile/account')).headers.location)).toMatch(/^\/login/);
    expect(await waysIn(user, credential, token, appPassword)).toEqual({ passwordAccepted: false, passkey: false, token: false, appPassword: false });

    await t.services.adminUsers.setLocked(user.username, false);
    expect(await waysIn(user, credential, token, appPassword)).toEqual({ passwordAccepted: true, passkey: true, token: true, appPassword: true });
  });

  it('asks for the second factor after the password, whichever form the password comes in, while API credentials stay API-only', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await registerPasskey(visitor, newCredential());
    const halfway = await new Visitor(t.app).submit('/login', { identifier: user.email.toUpperCase(), password: user.password });
    expect(halfway.headers.location).toBe('/login/2fa');
    const { secret: appPassword } = await t.services.appPasswords.create(user, { name: 'mail client', scope: 'read' }, ctx);
    const withAppPassword = await new Visitor(t.app).submit('/login', { identifier: user.username, password: appPassword });
    expect(withAppPassword.status).toBe(422);
    const { secret: token } = await t.services.apiTokens.create(user, { name: 'script', scope: 'read', expires: '30' }, ctx);
    const withToken = await new Visitor(t.app).submit('/login', { identifier: user.username, password: token });
    expect(withToken.status).toBe(422);
  });

  it('is listed in SECURITY.md: every sign-in route the router has and every credential the API takes, and nothing that does not exist', async () => {
    const security = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'SECURITY.md'), 'utf8');
    const table = /## Ways to authenticate\n([\s\S]*?)\n## /.exec(security)?.[1] ?? '';
    const documented = new Set(
      [...table.matchAll(/`(?:[A-Z/]+ )?(\/[^`?\s]*)/g)].map((m) => (m[1] as string).replace(/<(\w+)>/g, ':$1')),
    );
    const live = liveRoutes(t.app);
    const livePaths = new Set(live.map((route) => route.path));
    expect([...documented].filter((p) => !livePaths.has(p))).toEqual([]);

    const signInRoutes = live.filter((route) => /^\/(login|reset-password|auth\/oidc)(\/|$)/.test(route.path)).map((route) => route.path.replace(/\/options$/, ''));
    expect(signInRoutes.length).toBeGreaterThanOrEqual(6);
    expect([...new Set(signInRoutes)].filter((p) => !documented.has(p))).toEqual([]);

    const schemes = (await request(t.app).get('/api/v1/openapi.json')).body.components.securitySchemes as Record<string, { scheme?: string; name?: string }>;
    expect(Object.keys(schemes).sort()).toEqual(['appPassword', 'session', 'token']);
    for (const words of ['`Authorization: Bearer pat_', 'HTTP Basic', '`X-CSRF-Token`']) expect(table).toContain(words);
  });
});
