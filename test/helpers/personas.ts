import crypto from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import type { User } from '../../src/core/users/user';
import type { TestApp } from './app';
import { Visitor } from './browser-agent';
import { createUser, signedIn } from './factories';
import { ed25519Key } from '../http/api/api-test-helpers';
import { allowedApp, allowedClientIds, registeredApp } from './connected-apps';
import { concretePath, isApiRoute, type RouteEntry } from './route-list';
import { totpAt } from './totp';

type Person = User & { password: string };

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

/** Who knocks on a route in the authorization matrix. */
export type PersonaName =
  | 'anonymous'
  | 'anonymous (JSON)'
  | 'read token'
  | 'write token'
  | 'read app password'
  | 'write app password'
  | 'another user'
  | 'administrator'
  | 'owner';

/** Where a route keeps the thing its `:id` (an application's `:client` or `:client_id`) names, how to make one for a person, and whether it is still there. */
interface Resource {
  make(person: Person): Promise<string>;
  exists(person: Person, id: string): Promise<boolean>;
}

function resources(t: TestApp): Record<string, Resource> {
  const sessionHandles = async (person: Person) => (await t.services.sessions.list(person.id, 'none')).map((s) => s.id);
  const sshKey: Resource = {
    make: async (p) => (await t.services.sshKeys.add(p, { title: 'Laptop', key: ed25519Key().line }, ctx)).id,
    exists: async (p, id) => (await t.services.sshKeys.list(p)).some((k) => k.id === id),
  };
  // Each at a provider of its own: an account has one identity per provider.
  const identity: Resource = {
    make: async (p) => (await t.repos.identities.insert({ userId: p.id, provider: `p${crypto.randomBytes(4).toString('hex')}`, issuer: 'https://idp.example.com', subject: crypto.randomUUID(), email: null, displayName: null, now: t.clock.now() })).id,
    exists: async (p, id) => (await t.repos.identities.listByUser(p.id)).some((i) => i.id === id),
  };
  return {
    sessions: {
      async make(p) {
        const before = await sessionHandles(p);
        await signedIn(t, p);
        return (await sessionHandles(p)).find((h) => !before.includes(h)) as string;
      },
      exists: async (p, id) => (await sessionHandles(p)).includes(id),
    },
    passkeys: {
      async make(p) {
        await t.repos.authenticators.insertPasskey(p.id, { name: 'Key', credentialId: crypto.randomBytes(16).toString('base64url'), publicKey: 'AA', counter: 0, transports: [], aaguid: '' }, t.clock.now());
        return ((await t.repos.authenticators.listPasskeys(p.id)).at(-1) as { id: string }).id;
      },
      exists: async (p, id) => (await t.repos.authenticators.listPasskeys(p.id)).some((k) => k.id === id),
    },
    tokens: {
      make: async (p) => (await t.services.apiTokens.create(p, { name: 'CI', scope: 'read', expires: '30' }, ctx)).token.id,
      exists: async (p, id) => (await t.services.apiTokens.list(p)).some((k) => k.id === id),
    },
    'app-passwords': {
      make: async (p) => (await t.services.appPasswords.create(p, { name: 'Mail', scope: 'read' }, ctx)).appPassword.id,
      exists: async (p, id) => (await t.services.appPasswords.list(p)).some((k) => k.id === id),
    },
    keys: sshKey,
    'ssh-keys': sshKey,
    connections: identity,
    identities: identity,
    apps: {
      make: (p) => allowedApp(t, p.id, 'Team Wiki'),
      exists: async (p, id) => (await allowedClientIds(t, p.id)).includes(id),
    },
    // The console's: an application anyone may have allowed, registered as apps:create does.
    applications: {
      make: () => registeredApp(t),
      exists: async (_p, id) => (await t.services.applications.list()).some((app) => app.clientId === id),
    },
  };
}

/** A route's parameter naming a person's thing, and the path segment before it that says what kind of thing. */
const RESOURCE_PARAM = /\/([\w-]+)\/:(id|client_id|client)\b/;

/** The resource a route's `:id` names: found by the path segment before it. */
export function resourceOf(t: TestApp, route: RouteEntry): Resource | undefined {
  const segment = RESOURCE_PARAM.exec(route.path)?.[1];
  if (!segment) return undefined;
  const resource = resources(t)[segment];
  if (!resource) throw new Error(`No test resource for the ids of ${route.label}: add one to test/helpers/personas.ts`);
  return resource;
}

/**
 * A small world for one route: its owner (signed in, with tokens and app passwords of both
 * scopes), another person and an administrator, each with things of their own.
 */
export async function worldFor(t: TestApp) {
  const owner = await createUser(t);
  const other = await createUser(t);
  const admin = await createUser(t);
  await t.repos.users.setRole(admin.id, 'admin', t.clock.now());
  const ownerBrowser = await signedIn(t, owner);
  await ownerBrowser.get('/profile/account');
  const adminBrowser = await signedIn(t, admin);
  await adminBrowser.get('/profile/account');
  const token = async (scope: 'read' | 'write') => (await t.services.apiTokens.create(owner, { name: scope, scope, expires: '30' }, ctx)).secret;
  const appPassword = async (scope: 'read' | 'write') => Buffer.from(`${owner.username}:${(await t.services.appPasswords.create(owner, { name: scope, scope }, ctx)).secret}`).toString('base64');
  const authorization = {
    'read token': `Bearer ${await token('read')}`,
    'write token': `Bearer ${await token('write')}`,
    'read app password': `Basic ${await appPassword('read')}`,
    'write app password': `Basic ${await appPassword('write')}`,
  };
  return { owner, other, admin, ownerBrowser, adminBrowser, authorization };
}

export type World = Awaited<ReturnType<typeof worldFor>>;

/** Turns the owner's authenticator app on, as the enrolment page does (their session stays signed in). */
export async function withAuthenticatorApp(t: TestApp, world: World): Promise<void> {
  const { secret, sealed } = t.services.mfa.beginTotpEnrolment(world.owner);
  await t.services.mfa.enableTotp(world.owner, sealed, totpAt(secret, t.clock.now()), ctx, false);
}

/** A browser that is not signed in but holds a form token, as after opening the sign-in page. */
async function anonymousBrowser(t: TestApp): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  await visitor.get('/login');
  return visitor;
}

/**
 * One request from `persona` to `route`, with the CSRF token of its own browser (so that
 * the answer shows the authorization decision, not the CSRF check) and, unless `body` is
 * given, an empty body that passes no validation, so an allowed request changes as little
 * as possible. `id` fills `:id` (or `:client`, `:client_id`).
 */
export async function knock(t: TestApp, world: World, route: RouteEntry, persona: PersonaName, id?: string, body: Record<string, string> = {}): Promise<Response> {
  const url = concretePath(route, { username: world.owner.username, file: 'swagger-ui.css', ...(id ? { [RESOURCE_PARAM.exec(route.path)?.[2] ?? 'id']: id } : {}) });
  const header = world.authorization[persona as keyof World['authorization']];
  const api = isApiRoute(route);
  const browser = persona === 'owner' || persona === 'another user' ? world.ownerBrowser : persona === 'administrator' ? world.adminBrowser : header && api ? undefined : await anonymousBrowser(t);
  let req = (browser ? browser.agent : request(t.app))[route.method](url).set('Accept', api || persona === 'anonymous (JSON)' ? 'application/json' : 'text/html');
  if (header) req = req.set('Authorization', header);
  if (route.method === 'get') return req;
  if (browser) req = req.set('X-CSRF-Token', browser.csrf());
  return api ? req.send(body) : req.type('form').send(body);
}
