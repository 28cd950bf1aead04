import net from 'node:net';
import type { Response } from 'supertest';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider, startAt } from '../../helpers/identity-providers';
import { isSignedIn } from '../../helpers/mfa';
import { authorizeAtProvider } from '../../helpers/oidc-provider';

/** An issuer on this machine where nothing listens: a port the system handed out, then closed. */
async function closedIssuer(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const t = describeAppWithProviders(
  [
    { id: 'corp', name: 'Corp SSO' },
    { id: 'down', name: 'Down ID', issuer: closedIssuer },
    { id: 'flaky', name: 'Flaky ID' },
  ],
  { OIDC_TIMEOUT_MS: '1000' },
);
afterEach(() => t.providers.corp!.resetTampering());

const FAILED = 'The answer from Corp SSO could not be verified, so you were not signed in.';
const START_AGAIN = 'That sign-in with Corp SSO has expired or was already used. Please start again.';

let n = 0;
/** A person whose Corp SSO identity is connected: any attack that got through would sign them in. */
async function connectedPerson(provider = 'corp') {
  n += 1;
  const user = await createUser(t);
  const sub = `attacked-${n}-sub`;
  await t.providers[provider]!.addAccount({ sub, email: user.email, email_verified: true, name: 'Vic Tim' });
  await t.repos.identities.insert({ userId: user.id, provider, issuer: t.providers[provider]!.issuer, subject: sub, email: null, displayName: null, now: t.clock.now() });
  return { user, sub };
}

/** The provider's redirect back to the app after `sub` signed in there, not yet opened. */
async function callbackFor(visitor: Visitor, sub: string, provider = 'corp'): Promise<URL> {
  const started = await startAt(visitor, '/login', `/auth/oidc/${provider}/start`);
  expect(started.status).toBe(303);
  return authorizeAtProvider(started.headers.location!, { sub });
}

const open = (visitor: Visitor, url: URL) => visitor.get(url.pathname + url.search);

/** The flash messages on a page, as one line of text. */
const noticesOn = (html: string) => [...html.matchAll(/<div class="notice notice--\w+"[^>]*>\s*<p>([^<]*)<\/p>/g)].map((m) => m[1]).join(' | ');

/** Back on /login, with `message` shown there, and not signed in. */
async function refused(visitor: Visitor, res: Response, message: string): Promise<void> {
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/login');
  expect(noticesOn((await visitor.get('/login')).text)).toContain(message);
  const profile = await visitor.get('/profile/account');
  expect(profile.status).toBe(303);
  expect(profile.headers.location).toMatch(/^\/login/);
}

const identityCount = async () => Number((await t.deps.db('user_identities').count({ n: '*' }).first())?.n);

describe('Attacks on signing in with a provider', () => {
  it('refuses a return whose state was tampered with', async () => {
    const { sub } = await connectedPerson();
    const visitor = new Visitor(t.app);
    const back = await callbackFor(visitor, sub);
    back.searchParams.set('state', `${back.searchParams.get('state')}x`);
    await refused(visitor, await open(visitor, back), FAILED);
  });

  it('serves a callback URL once: opening it again does nothing, in the same browser or another', async () => {
    const { user, sub } = await connectedPerson();
    const victim = new Visitor(t.app);
    const back = await callbackFor(victim, sub);
    expect((await open(victim, back)).headers.location).toBe('/');
    const sessions = await t.deps.sessions.listByUser(user.id);
    const again = await open(victim, back);
    expect(again.status).toBe(303);
    expect(again.headers.location).not.toBe('/');
    expect(noticesOn((await victim.get('/profile/account')).text)).toContain(START_AGAIN);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(sessions.length);

    const thief = new Visitor(t.app);
    await refused(thief, await open(thief, back), START_AGAIN);
  });

  it('refuses a used code replayed into a flow of the attacker’s own, its state and all', async () => {
    const { sub } = await connectedPerson();
    const victim = new Visitor(t.app);
    const stolen = await callbackFor(victim, sub);
    expect((await open(victim, stolen)).headers.location).toBe('/');

    const attacker = new Visitor(t.app);
    const own = await startAt(attacker, '/login', '/auth/oidc/corp/start');
    const forged = new URL(stolen);
    forged.searchParams.set('state', new URL(own.headers.location!).searchParams.get('state')!);
    await refused(attacker, await open(attacker, forged), FAILED);
  });

  it('refuses a callback that carries another browser’s code and state before that browser used it', async () => {
    const { sub } = await connectedPerson();
    const victim = new Visitor(t.app);
    const back = await callbackFor(victim, sub);
    const attacker = new Visitor(t.app);
    await refused(attacker, await open(attacker, back), START_AGAIN);
  });

  it.each([
    ['a wrong nonce', { nonce: 'not-the-one-sent' }],
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'some-other-client' }],
    ['an expired token', { expired: true }],
    ['a signature by a key the provider never published', { sign_with_other_key: true }],
  ])('refuses an ID token with %s', async (_case, tampering) => {
    const { sub } = await connectedPerson();
    await t.providers.corp!.tamperNextIdToken(tampering);
    const visitor = new Visitor(t.app);
    const identities = await identityCount();
    await refused(visitor, await open(visitor, await callbackFor(visitor, sub)), FAILED);
    expect(await identityCount()).toBe(identities);
  });

  it('says the sign-in was cancelled when the person refuses at the provider (error=access_denied)', async () => {
    const visitor = new Visitor(t.app);
    const started = await startAt(visitor, '/login', '/auth/oidc/corp/start');
    const back = await authorizeAtProvider(started.headers.location!, { abort: true });
    expect(back.searchParams.get('error')).toBe('access_denied');
    await refused(visitor, await open(visitor, back), 'Signing in with Corp SSO was cancelled. Nothing was changed.');
  });

  it('says a provider that cannot be reached cannot be reached, on the sign-in page, not on an error page', async () => {
    const visitor = new Visitor(t.app);
    const pressed = await startAt(visitor, '/login', '/auth/oidc/down/start');
    await refused(visitor, pressed, 'Down ID cannot be reached right now. Try again in a few minutes, or sign in another way.');
  });

  it('expires a flow the person took more than ten minutes to finish', async () => {
    const { sub } = await connectedPerson();
    const visitor = new Visitor(t.app);
    const back = await callbackFor(visitor, sub);
    t.clock.advance(10 * 60_000 + 1_000);
    await refused(visitor, await open(visitor, back), START_AGAIN);
  });

  it('signs an identity into its own account only: matched by provider and subject, never by another account’s', async () => {
    const alice = await connectedPerson();
    const bob = await connectedPerson();
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: alice.sub })).headers.location).toBe('/');
    const account = await visitor.get('/profile/account');
    expect(account.text).toContain(alice.user.username);
    expect(account.text).not.toContain(bob.user.username);

    // The same subject at another provider is another person.
    const flakyOnly = await createUser(t);
    await t.repos.identities.insert({ userId: flakyOnly.id, provider: 'flaky', issuer: t.providers.flaky!.issuer, subject: 'shared-sub', email: null, displayName: null, now: t.clock.now() });
    await t.providers.corp!.addAccount({ sub: 'shared-sub', email: 'shared@corp.example', email_verified: true });
    const stranger = new Visitor(t.app);
    expect((await signInWithProvider(stranger, 'corp', { sub: 'shared-sub' })).headers.location).toBe('/auth/oidc/signup');
    expect(await isSignedIn(stranger)).toBe(false);
  });

  it('does not sign in to a locked account', async () => {
    const { user, sub } = await connectedPerson();
    await t.repos.users.setLocked(user.id, true, t.clock.now());
    const visitor = new Visitor(t.app);
    await refused(visitor, await signInWithProvider(visitor, 'corp', { sub }), 'This account has been locked by an administrator.');
  });

  it('never links an unverified address to the account that owns it', async () => {
    const owner = await createUser(t, { email: 'owner@victim.example', emailVerified: true });
    await t.providers.corp!.addAccount({ sub: 'claims-owner-sub', email: 'owner@victim.example', email_verified: false });
    const visitor = new Visitor(t.app);
    await refused(visitor, await signInWithProvider(visitor, 'corp', { sub: 'claims-owner-sub' }), 'An account with the address owner@victim.example already exists.');
    expect(await t.repos.identities.listByUser(owner.id)).toEqual([]);
  });
});

describe('The routes of the provider flow', () => {
  it('answer an unknown provider with 404', async () => {
    const visitor = new Visitor(t.app);
    const login = await visitor.get('/login');
    expect((await visitor.post('/auth/oidc/nope/start', { _csrf: csrfTokenIn(login.text) })).status).toBe(404);
    expect((await visitor.get('/auth/oidc/nope/callback?code=x&state=y')).status).toBe(404);
  });

  it('start only from a form post with the CSRF token', async () => {
    const visitor = new Visitor(t.app);
    expect([404, 405]).toContain((await visitor.get('/auth/oidc/corp/start')).status);
    expect((await visitor.post('/auth/oidc/corp/start', {})).status).toBe(403);
    expect((await visitor.post('/auth/oidc/corp/start', { _csrf: 'forged' })).status).toBe(403);
  });

  it('send a person back with "cannot be reached" when the provider goes down during the flow (last: it stops that provider)', async () => {
    const { sub } = await connectedPerson('flaky');
    const visitor = new Visitor(t.app);
    const back = await callbackFor(visitor, sub, 'flaky');
    await t.providers.flaky!.stop();
    await refused(visitor, await open(visitor, back), 'Flaky ID cannot be reached right now.');
  });
});
