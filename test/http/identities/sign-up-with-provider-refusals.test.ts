import type { Response } from 'supertest';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider, type OidcTestApp } from '../../helpers/identity-providers';
import { isSignedIn } from '../../helpers/mfa';
import type { TestAccount } from '../../helpers/oidc-provider';
import { setPolicies } from '../admin/policies-test-helpers';

let n = 0;
function newcomer(overrides: Partial<TestAccount> = {}): TestAccount {
  n += 1;
  return { sub: `refused-${n}-sub`, email: `refused${n}@corp.example`, email_verified: true, given_name: 'Rita', family_name: 'Refused', preferred_username: `rita${n}`, ...overrides };
}

const userCount = async (t: OidcTestApp) => Number((await t.deps.db('users').count({ n: '*' }).first())?.n);
const identityCount = async (t: OidcTestApp) => Number((await t.deps.db('user_identities').count({ n: '*' }).first())?.n);

/** A first sign-in that must be refused: back on /login, the message shown there, nobody signed in and nothing created. */
async function refusedSignIn(t: OidcTestApp, provider: string, account: TestAccount): Promise<string> {
  await t.providers[provider]!.addAccount(account);
  const [users, identities] = [await userCount(t), await identityCount(t)];
  const visitor = new Visitor(t.app);
  const back = await signInWithProvider(visitor, provider, { sub: account.sub });
  expect(back.status).toBe(303);
  expect(back.headers.location).toBe('/login');
  const page = await visitor.get('/login');
  expect(await isSignedIn(visitor)).toBe(false);
  expect([await userCount(t), await identityCount(t)]).toEqual([users, identities]);
  return page.text;
}

describe('Signing up with an identity provider, refused', () => {
  const t = describeAppWithProviders(
    [
      { id: 'corp', name: 'Corp SSO' },
      { id: 'partner', name: 'Partner ID', allow_signup: false },
    ],
    { TRUST_PROXY: '1' },
  );
  afterEach(() => setPolicies(t, { signup: 'open' }));

  it('never links an address that belongs to an account: the person is told to sign in to it first and connect the provider there', async () => {
    const owner = await createUser(t, { email: 'owner@corp.example', emailVerified: true });
    for (const email of ['owner@corp.example', 'Owner@Corp.Example']) {
      const page = await refusedSignIn(t, 'corp', newcomer({ email }));
      expect(page).toContain('An account with the address owner@corp.example already exists. Sign in to that account first, then connect Corp SSO');
    }
    expect(await t.repos.identities.listByUser(owner.id)).toEqual([]);
    expect(await t.repos.users.findById(owner.id)).toMatchObject({ source: owner.source, passwordHash: owner.passwordHash });
  });

  it('does not create accounts through a provider whose entry says allow_signup: false', async () => {
    const page = await refusedSignIn(t, 'partner', newcomer());
    expect(page).toContain('No account is connected to this Partner ID identity.');
  });

  it('does not create accounts through any provider while the sign-up policy is closed', async () => {
    await setPolicies(t, { signup: 'closed' });
    const page = await refusedSignIn(t, 'corp', newcomer());
    expect(page).toContain('No account is connected to this Corp SSO identity.');
  });

  it('refuses the confirmation when sign-up closed after the confirmation page was shown', async () => {
    const account = newcomer();
    await t.providers.corp!.addAccount(account);
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: account.sub })).headers.location).toBe('/auth/oidc/signup');
    const page = await visitor.get('/auth/oidc/signup');
    await setPolicies(t, { signup: 'closed' });
    const refused = await visitor.post('/auth/oidc/signup', { _csrf: csrfTokenIn(page.text), first_name: 'Rita', last_name: 'Refused', email: account.email!, username: 'rita-late' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Sign-up is closed');
    expect(await t.repos.users.findByUsername('rita-late')).toBeUndefined();
    expect(await isSignedIn(visitor)).toBe(false);
  });

  it('sends a person who opens the confirmation page without a pending sign-in back to /login with a message', async () => {
    const visitor = new Visitor(t.app);
    const shown = await visitor.get('/auth/oidc/signup');
    expect(shown.status).toBe(303);
    expect(shown.headers.location).toBe('/login');
    const login = await visitor.get('/login');
    expect(login.text).toContain('The sign-up has expired. Please start again.');
    const posted = await visitor.post('/auth/oidc/signup', { _csrf: csrfTokenIn(login.text), first_name: 'Eve', last_name: 'Forger', email: 'eve@example.com', username: 'eve-forger' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/login');
    expect(await t.repos.users.findByUsername('eve-forger')).toBeUndefined();
  });

  it('lets a pending sign-up expire: after half an hour the person starts again', async () => {
    const account = newcomer();
    await t.providers.corp!.addAccount(account);
    const visitor = new Visitor(t.app);
    await signInWithProvider(visitor, 'corp', { sub: account.sub });
    const page = await visitor.get('/auth/oidc/signup');
    t.clock.advance(31 * 60_000);
    const late = await visitor.post('/auth/oidc/signup', { _csrf: csrfTokenIn(page.text), first_name: 'Rita', last_name: 'Refused', email: account.email!, username: 'rita-slow' });
    expect(late.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('The sign-up has expired. Please start again.');
    expect(await t.repos.users.findByUsername('rita-slow')).toBeUndefined();
  });

  it('counts confirmations against the sign-up rate limit of the address they come from', async () => {
    const taken = await createUser(t);
    const account = newcomer();
    await t.providers.corp!.addAccount(account);
    const visitor = new Visitor(t.app);
    await signInWithProvider(visitor, 'corp', { sub: account.sub });
    const token = csrfTokenIn((await visitor.get('/auth/oidc/signup')).text);
    const attempt = (ip: string): Promise<Response> =>
      visitor.agent.post('/auth/oidc/signup').set('X-Forwarded-For', ip).set('Accept', 'text/html').type('form').send({ _csrf: token, first_name: 'Rita', last_name: 'Refused', email: account.email!, username: taken.username });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await attempt('203.0.113.7')).status);
    expect(statuses.every((status) => status === 422)).toBe(true);
    const limited = await attempt('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many attempts');
    expect((await attempt('203.0.113.8')).status).toBe(422);
    expect(await t.repos.users.findByEmail(account.email!)).toBeUndefined();
  });
});

describe('Signing up with an identity provider when SIGNUP=closed', () => {
  const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }], { SIGNUP: 'closed' });

  it('refuses a newcomer in words and creates nothing, while people already connected still sign in', async () => {
    const page = await refusedSignIn(t, 'corp', newcomer());
    expect(page).toContain('No account is connected to this Corp SSO identity.');

    const member = await createUser(t);
    await t.providers.corp!.addAccount({ sub: 'member-sub', email: member.email });
    await t.repos.identities.insert({ userId: member.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: 'member-sub', email: null, displayName: null, now: t.clock.now() });
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: 'member-sub' })).headers.location).toBe('/');
    expect(await isSignedIn(visitor)).toBe(true);
  });
});
