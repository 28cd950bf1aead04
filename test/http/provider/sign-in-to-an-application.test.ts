import * as oidc from 'openid-client';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { authorizationRequest, exchange, ISSUER, describeApplication, registerApp, relyingParty, walk } from '../../helpers/relying-party';

describe('an application signs its users in with this service (OpenID Connect)', () => {
  const t = describeApp();
  const rp = describeApplication(t, { name: 'Wiki' });

  it('publishes discovery at the issuer BASE_URL: code flow with PKCE S256 only, and signed ID tokens', async () => {
    const metadata = rp.config.serverMetadata();
    expect(metadata.issuer).toBe(ISSUER);
    expect(metadata.authorization_endpoint).toBe(`${ISSUER}/oidc/auth`);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.id_token_signing_alg_values_supported).not.toContain('none');
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'preferred_username', 'name', 'given_name', 'family_name', 'email', 'email_verified', 'locale', 'picture']));
    const jwks = (await (await fetch(`${rp.server.origin}/oidc/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('signs a person in through its own form, asks their consent once, and hands the application who they are', async () => {
    const user = await createUser(t, { firstName: 'Ada', lastName: 'Lovelace', emailVerified: true });
    const visitor = new Visitor(t.app);
    const request = await authorizationRequest(rp.config, rp.app);
    const first = await walk(visitor, request.path, { signIn: { identifier: user.username, password: user.password }, consent: 'allow' });
    expect(first.trail).toEqual(expect.arrayContaining(['sign-in', 'consent:allow']));
    expect(first.left?.origin).toBe('https://app.example');
    const tokens = await exchange(rp.config, request, first.left as URL);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: ISSUER, aud: rp.app.clientId, sub: user.id, preferred_username: user.username, name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', email: user.email, email_verified: true, amr: ['pwd'] });
    expect(claims?.sub).not.toBe(user.username);

    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: user.email, preferred_username: user.username });

    // Allowed once: the next sign-in of this application goes straight back, no page in between.
    const again = await authorizationRequest(rp.config, rp.app);
    const second = await walk(visitor, again.path);
    expect(second.trail.some((step) => step.startsWith('consent'))).toBe(false);
    expect(second.left?.searchParams.get('code')).toBeTruthy();
  });

  it('answers prompt=none with login_required when nobody is signed in here, and with a code when someone is', async () => {
    const anonymous = await authorizationRequest(rp.config, rp.app, { prompt: 'none' });
    const refused = await walk(new Visitor(t.app), anonymous.path);
    expect(refused.left?.searchParams.get('error')).toBe('login_required');

    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const consented = await authorizationRequest(rp.config, rp.app);
    await walk(visitor, consented.path, { consent: 'allow' });
    const silent = await authorizationRequest(rp.config, rp.app, { prompt: 'none' });
    const answered = await walk(visitor, silent.path);
    expect(answered.left?.searchParams.get('code')).toBeTruthy();
    await expect(exchange(rp.config, silent, answered.left as URL)).resolves.toBeDefined();

    await visitor.get('/profile/account');
    await visitor.post('/logout', { _csrf: visitor.csrf() });
    const afterSignOut = await authorizationRequest(rp.config, rp.app, { prompt: 'none' });
    expect((await walk(visitor, afterSignOut.path)).left?.searchParams.get('error')).toBe('login_required');
  });

  it('signs in to a public application (a single-page or native rp.app) with PKCE and no secret, and lets its origin call the token endpoint', async () => {
    const spa = await registerApp(t, { name: 'Board', redirectUris: ['http://localhost:5173/callback'], public: true });
    expect(spa.clientSecret).toBeNull();
    const spaConfig = await relyingParty(spa, rp.server.origin);
    const user = await createUser(t);
    const request = await authorizationRequest(spaConfig, spa);
    const result = await walk(await signedIn(t, user), request.path, { consent: 'allow' });
    expect(result.left?.origin).toBe('http://localhost:5173');
    expect((await exchange(spaConfig, request, result.left as URL)).claims()?.sub).toBe(user.id);
    const preflight = await fetch(`${rp.server.origin}/oidc/token`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const elsewhere = await fetch(`${rp.server.origin}/oidc/token`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: `client_id=${spa.clientId}&grant_type=refresh_token&refresh_token=x` });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('tells the application access_denied when the person denies', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const request = await authorizationRequest(rp.config, rp.app);
    const result = await walk(visitor, request.path, { consent: 'deny' });
    expect(result.left?.searchParams.get('error')).toBe('access_denied');
  });
});
