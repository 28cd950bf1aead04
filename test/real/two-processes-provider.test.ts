import * as oidc from 'openid-client';
import { HttpBrowser, type Reply } from '../helpers/http-browser';
import { startServerPair, type AppProcess, type ServerPair } from '../helpers/server-pair';

// Starting two server processes takes a while on a busy machine; the tests themselves are quick.
jest.setTimeout(300_000);

const REDIRECT_URI = 'https://wiki.example.test/callback';

const pathOf = (location: string | null, base: string) => {
  const url = new URL(location as string, base);
  return url.pathname + url.search;
};
const continueLink = (page: Reply) => (/<a id="continue"[^>]*href="([^"]+)"/.exec(page.text)?.[1] ?? '').replace(/&amp;/g, '&');

describe('Two app processes as one OpenID Provider (one PostgreSQL, one Redis)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startServerPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('signs a person in to an application with each step on either process, and both sign and accept the same tokens', async () => {
    const { client, clientSecret } = await pair.services.applications.register({ name: 'Wiki', redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [], public: false });
    // The application's requests go to A and B in turn, as behind a load balancer.
    let turn = 0;
    const next = (): AppProcess => (turn++ % 2 === 0 ? pair.a : pair.b);
    const customFetch: oidc.CustomFetch = (url, options) => fetch(url.replace(pair.baseUrl, `http://127.0.0.1:${next().port}`), options as RequestInit);
    const config = await oidc.discovery(new URL(pair.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret as string), { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: customFetch });
    config[oidc.customFetch] = customFetch;
    oidc.enableNonRepudiationChecks(config);

    const account = await pair.createAccount();
    const browser = new HttpBrowser();
    expect((await browser.submit(pair.a, '/login', { identifier: account.username, password: account.password })).status).toBe(303);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorization = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile email offline_access', prompt: 'consent', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });

    const started = await browser.get(pair.b, authorization.pathname + authorization.search);
    expect(started.status).toBe(303);
    const signedIn = await browser.get(pair.a, pathOf(started.location, pair.baseUrl));
    expect(signedIn.status).toBe(200);
    const consentStep = await browser.get(pair.b, pathOf(continueLink(signedIn), pair.baseUrl));
    const consentPath = pathOf(consentStep.location, pair.baseUrl);
    const consent = await browser.get(pair.a, consentPath);
    expect(consent.text).toContain('Wiki');
    const allowed = await browser.post(pair.b, `${consentPath}/confirm`, { _csrf: browser.csrf() });
    expect(allowed.status).toBe(200);
    const back = await browser.get(pair.a, pathOf(continueLink(allowed), pair.baseUrl));
    expect(back.status).toBe(303);
    const callback = new URL(back.location as string);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.sub).toBe(account.id);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    const again = await oidc.refreshTokenGrant(config, refreshed.refresh_token as string);
    for (const process of pair.both) {
      const info = await fetch(`http://127.0.0.1:${process.port}/oidc/me`, { headers: { Authorization: `Bearer ${again.access_token}` } });
      expect(info.status).toBe(200);
      expect(((await info.json()) as { sub: string }).sub).toBe(account.id);
    }
    const keys = await Promise.all(pair.both.map(async (process) => ((await (await fetch(`http://127.0.0.1:${process.port}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid)));
    expect(keys[0]).toHaveLength(1);
    expect(keys[1]).toEqual(keys[0]);
  });
});
