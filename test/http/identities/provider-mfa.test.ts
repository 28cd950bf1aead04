import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider, throughProvider } from '../../helpers/identity-providers';
import { enrolTotp, isSignedIn } from '../../helpers/mfa';
import type { ProviderLogin } from '../../helpers/oidc-provider';

const t = describeAppWithProviders([
  { id: 'corp', name: 'Corp SSO', accept_provider_mfa: true },
  { id: 'strict', name: 'Strict ID' },
]);

let n = 0;
/** A person with the authenticator app on, whose identity at `provider` is connected. */
async function withTotpAndIdentity(provider: string) {
  n += 1;
  const user = await createUser(t);
  await enrolTotp(t, await signedIn(t, user));
  const sub = `mfa-${n}-sub`;
  await t.providers[provider]!.addAccount({ sub, email: user.email, email_verified: true });
  await t.repos.identities.insert({ userId: user.id, provider, issuer: t.providers[provider]!.issuer, subject: sub, email: null, displayName: null, now: t.clock.now() });
  return { user, sub };
}

/** A person made through a provider: no password, only their identity at `provider`, signed in with it. */
async function providerOnlyPerson(provider = 'corp') {
  n += 1;
  const sub = `only-${n}-sub`;
  const user = await t.repos.users.insert({ username: `only${n}`, email: `only${n}@corp.example`, firstName: 'Olly', lastName: 'Only', passwordHash: null, language: 'en', theme: null, now: t.clock.now(), source: 'oidc', emailVerifiedAt: t.clock.now() });
  await t.providers[provider]!.addAccount({ sub, email: user.email, email_verified: true });
  await t.repos.identities.insert({ userId: user.id, provider, issuer: t.providers[provider]!.issuer, subject: sub, email: null, displayName: null, now: t.clock.now() });
  const visitor = new Visitor(t.app);
  expect((await signInWithProvider(visitor, provider, { sub })).headers.location).toBe('/');
  return { user, sub, visitor };
}

describe('The second step after signing in with a provider', () => {
  it.each<[string, string, Omit<Extract<ProviderLogin, { sub: string }>, 'sub'>, string]>([
    ['password and one-time code', 'corp', { amr: ['pwd', 'otp'] }, '/'],
    ['"mfa"', 'corp', { amr: ['mfa'] }, '/'],
    ['an MFA context class', 'corp', { amr: ['pwd'], acr: 'https://refeds.org/profile/mfa' }, '/'],
    ['a password only', 'corp', { amr: ['pwd'] }, '/login/2fa'],
    ['nothing about methods', 'corp', {}, '/login/2fa'],
    ['"mfa", to a provider whose MFA the operator does not accept', 'strict', { amr: ['mfa'] }, '/login/2fa'],
    ['password and one-time code, to a provider whose MFA the operator does not accept', 'strict', { amr: ['pwd', 'otp'] }, '/login/2fa'],
  ])('when the provider reports %s (at %s, claims %j): the person with an authenticator goes to %s', async (_case, provider, claims, destination) => {
    const { sub } = await withTotpAndIdentity(provider);
    const visitor = new Visitor(t.app);
    const back = await signInWithProvider(visitor, provider, { sub, ...claims });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(destination);
    expect(await isSignedIn(visitor)).toBe(destination === '/');
  });
});

describe('Confirming it is you with a provider', () => {
  /** The connect button (a step-up operation) of the Connections tab, pressed from a page of the profile. */
  async function pressConnect(visitor: Visitor, provider: string) {
    const page = await visitor.get('/profile/account');
    return visitor.post(`/profile/connections/${provider}/connect`, { _csrf: csrfTokenIn(page.text) });
  }

  it('offers a person without a password the provider instead of a password form, and lets them make a sensitive change after it', async () => {
    const { sub, visitor } = await providerOnlyPerson();
    t.clock.advance(t.config.reauthMs + 60_000);
    const asked = await pressConnect(visitor, 'strict');
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toMatch(/^\/reauth/);

    const page = await visitor.get('/reauth?next=/profile/connections');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirm with Corp SSO');
    expect(page.text).toMatch(/<form method="post" action="\/reauth" novalidate hidden>/);

    const confirmed = await throughProvider(visitor, '/reauth?next=/profile/connections', '/reauth/oidc/corp', { sub }, { next: '/profile/connections' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe('/profile/connections');
    const allowed = await pressConnect(visitor, 'strict');
    expect(allowed.status).toBe(303);
    expect(allowed.headers.location).toMatch(new RegExp(`^${t.providers.strict!.issuer}/`));
  });

  it('does not let another person’s identity confirm', async () => {
    const { visitor } = await providerOnlyPerson();
    const other = await providerOnlyPerson();
    t.clock.advance(t.config.reauthMs + 60_000);
    const refused = await throughProvider(visitor, '/reauth?next=/profile/connections', '/reauth/oidc/corp', { sub: other.sub }, { next: '/profile/connections' });
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/reauth');
    expect((await visitor.get('/reauth')).text).toContain('That Corp SSO identity is not connected to your account, so it cannot confirm who you are.');
    expect((await pressConnect(visitor, 'strict')).headers.location).toMatch(/^\/reauth/);
  });

  it('asks a person with an authenticator for more than the provider, unless the provider asserts MFA and the operator accepts it', async () => {
    const { sub } = await withTotpAndIdentity('corp');
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub, amr: ['mfa'] })).headers.location).toBe('/');
    t.clock.advance(t.config.reauthMs + 60_000);
    const passwordOnly = await throughProvider(visitor, '/reauth', '/reauth/oidc/corp', { sub, amr: ['pwd'] }, { next: '/profile/connections' });
    expect(passwordOnly.headers.location).toBe('/reauth');
    expect((await visitor.get('/reauth')).text).toContain('Your account uses two-step verification, which Corp SSO does not confirm.');
    expect((await pressConnect(visitor, 'strict')).headers.location).toMatch(/^\/reauth/);

    const withMfa = await throughProvider(visitor, '/reauth', '/reauth/oidc/corp', { sub, amr: ['pwd', 'hwk'] }, { next: '/profile/connections' });
    expect(withMfa.headers.location).toBe('/profile/connections');
    expect((await pressConnect(visitor, 'strict')).headers.location).toMatch(new RegExp(`^${t.providers.strict!.issuer}/`));
  });
});
