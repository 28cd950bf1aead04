import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { authorizeAtProvider, describeProvider, type ProviderLogin } from '../helpers/oidc-provider';

// The test OpenID provider itself, with openid-client as the relying party and no app:
// what the sign-in suites rely on it for works, and each tampering breaks only what it says.
const redirectUri = 'http://localhost:3000/auth/oidc/corp/callback';
const rp = { client_id: 'atrium-test', client_secret: 'a-client-secret-long-enough-for-hs256-0123', redirect_uris: [redirectUri] };
const alice = { sub: 'alice-sub', email: 'alice@corp.example', email_verified: true, given_name: 'Alice', family_name: 'Corp', name: 'Alice Corp', preferred_username: 'alice' };

const op = describeProvider({ clients: [rp], accounts: [alice] });
let config: client.Configuration;

beforeAll(async () => {
  config = await client.discovery(new URL(op.issuer), rp.client_id, rp.client_secret, undefined, { execute: [client.allowInsecureRequests] });
});

interface Authorization {
  callbackUrl: URL;
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string };
}

async function authorize(as: ProviderLogin, parameters: Record<string, string> = {}): Promise<Authorization> {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
    ...parameters,
  });
  return { callbackUrl: await authorizeAtProvider(url.href, as), checks };
}

async function signIn(as: ProviderLogin) {
  const { callbackUrl, checks } = await authorize(as);
  return client.authorizationCodeGrant(config, callbackUrl, checks);
}

/** Whether the token's signature checks out against the keys the provider publishes. */
async function verifiesAgainstPublishedKeys(idToken: string): Promise<boolean> {
  const keys = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
  return jwtVerify(idToken, keys, { issuer: op.issuer, audience: rp.client_id }).then(
    () => true,
    () => false,
  );
}

/** openid-client's error for an ID token it refused because of this claim. */
const rejectedClaim = (claim: string) => ({ cause: { cause: { claim } } });

describe('The test OpenID provider', () => {
  it('signs a person in with the authorization code flow and PKCE, the standard claims in the ID token', async () => {
    const { callbackUrl, checks } = await authorize({ sub: 'alice-sub' });
    expect(callbackUrl.href.startsWith(`${redirectUri}?`)).toBe(true);
    expect(callbackUrl.searchParams.get('state')).toBe(checks.expectedState);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, checks);
    expect(tokens.claims()).toMatchObject({ iss: op.issuer, aud: rp.client_id, nonce: checks.expectedNonce, ...alice });
    expect(await verifiesAgainstPublishedKeys(tokens.id_token as string)).toBe(true);
  });

  it('puts the amr and acr the login gave into the ID token', async () => {
    const tokens = await signIn({ sub: 'alice-sub', amr: ['pwd', 'otp'], acr: 'urn:example:mfa' });
    expect(tokens.claims()).toMatchObject({ sub: 'alice-sub', amr: ['pwd', 'otp'], acr: 'urn:example:mfa' });
  });

  it('signs in accounts added while it runs, with the claims they have', async () => {
    await op.addAccount({ sub: 'bob-sub', email: 'bob@corp.example', email_verified: false });
    const claims = (await signIn({ sub: 'bob-sub' })).claims();
    expect(claims).toMatchObject({ sub: 'bob-sub', email: 'bob@corp.example', email_verified: false });
    expect(claims).not.toHaveProperty('name');
  });

  it('agrees to consent on the person\'s behalf, even when the client asks with prompt=consent', async () => {
    const { callbackUrl, checks } = await authorize({ sub: 'alice-sub' }, { prompt: 'consent' });
    expect((await client.authorizationCodeGrant(config, callbackUrl, checks)).claims()?.email).toBe(alice.email);
  });

  it('refuses a PKCE-less authorization request', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', state: client.randomState() });
    const callbackUrl = await authorizeAtProvider(url.href, { sub: 'alice-sub' });
    expect(callbackUrl.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses an unknown account at its login form', async () => {
    await expect(signIn({ sub: 'nobody' })).rejects.toThrow(/answered .*\/interaction\/[\w-]+\/login with 400/);
  });

  it('sends the person back with error=access_denied when they abort', async () => {
    const { callbackUrl, checks } = await authorize({ abort: true });
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(redirectUri);
    expect(Object.fromEntries(callbackUrl.searchParams)).toMatchObject({ error: 'access_denied', state: checks.expectedState });
  });

  it('refuses an authorization code used twice', async () => {
    const { callbackUrl, checks } = await authorize({ sub: 'alice-sub' });
    await client.authorizationCodeGrant(config, callbackUrl, checks);
    await expect(client.authorizationCodeGrant(config, callbackUrl, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  describe('tampering with the next ID token', () => {
    it.each([
      ['a wrong nonce', { nonce: 'wrong' }, 'nonce'],
      ['another issuer', { iss: 'http://evil.example' }, 'iss'],
      ['another audience', { aud: 'someone-else' }, 'aud'],
      ['an expired token', { expired: true }, 'exp'],
      ['an absolute expiry in the past', { exp: 1000 }, 'exp'],
    ])('with %s makes the relying party reject the sign-in for that claim', async (_name, overrides, claim) => {
      const { callbackUrl, checks } = await authorize({ sub: 'alice-sub' });
      await op.tamperNextIdToken(overrides);
      await expect(client.authorizationCodeGrant(config, callbackUrl, checks)).rejects.toMatchObject(rejectedClaim(claim));
    });

    it('re-signs with the provider key and kid: the signature holds, only the claim changed', async () => {
      await op.tamperNextIdToken({ email: 'mallory@evil.example' });
      const tokens = await signIn({ sub: 'alice-sub' });
      expect(tokens.claims()).toMatchObject({ sub: 'alice-sub', email: 'mallory@evil.example' });
      expect(await verifiesAgainstPublishedKeys(tokens.id_token as string)).toBe(true);
    });

    it('with sign_with_other_key gives a token whose signature the published keys do not verify', async () => {
      await op.tamperNextIdToken({ sign_with_other_key: true });
      const tokens = await signIn({ sub: 'alice-sub' });
      expect(await verifiesAgainstPublishedKeys(tokens.id_token as string)).toBe(false);
    });

    it('with sign_with_other_key makes a relying party that checks signatures reject the sign-in', async () => {
      // openid-client trusts ID tokens from the token endpoint on TLS alone unless told to verify them.
      const verifying = await client.discovery(new URL(op.issuer), rp.client_id, rp.client_secret, undefined, { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] });
      const { callbackUrl, checks } = await authorize({ sub: 'alice-sub' });
      await op.tamperNextIdToken({ sign_with_other_key: true });
      await expect(client.authorizationCodeGrant(verifying, callbackUrl, checks)).rejects.toMatchObject({ cause: { message: 'JWT signature verification failed' } });
    });

    it('is used once: the token after a tampered one is sound again', async () => {
      await op.tamperNextIdToken({ nonce: 'wrong' });
      await expect(signIn({ sub: 'alice-sub' })).rejects.toMatchObject(rejectedClaim('nonce'));
      expect((await signIn({ sub: 'alice-sub' })).claims()?.sub).toBe('alice-sub');
    });
  });
});
