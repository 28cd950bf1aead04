import crypto from 'node:crypto';
import * as oidc from 'openid-client';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { authorizationRequest, exchange, describeApplication, registerApp, walk } from '../../helpers/relying-party';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('what an attacker tries against the OpenID Provider', () => {
  const t = describeApp();
  const rp = describeApplication(t, { name: 'Notes' });

  /** A signed-in person who has allowed the application, and a fresh authorization's code for it. */
  async function codeFor(params: Record<string, string> = {}) {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const authorization = await authorizationRequest(rp.config, rp.app, params);
    const result = await walk(visitor, authorization.path, { consent: 'allow' });
    return { user, visitor, authorization, callback: result.left as URL };
  }

  const tokenRequest = (fields: Record<string, string>, secret = rp.app.clientSecret as string) =>
    request(t.app).post('/oidc/token').auth(rp.app.clientId, secret).type('form').send(fields);

  it.each([
    ['another site', 'https://evil.example/callback'],
    ['a longer path', 'https://app.example/callback/more'],
    ['an added query', 'https://app.example/callback?next=https://evil.example'],
    ['a path walking up', 'https://app.example/callback/../other'],
    ['another scheme', 'http://app.example/callback'],
    ['a look-alike host', 'https://app.example.evil.example/callback'],
  ])('never redirects to a redirect URI the application did not register exactly (%s)', async (_case, redirectUri) => {
    const visitor = await signedIn(t, await createUser(t));
    const authorization = await authorizationRequest(rp.config, rp.app, { redirect_uri: redirectUri });
    const res = await visitor.get(authorization.path);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('has not registered here');
    expect(res.text).not.toContain('evil.example/callback"');
  });

  it('answers an unknown application with its own page, not a redirect', async () => {
    const res = await new Visitor(t.app).get(`/oidc/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('not registered here');
  });

  it('redeems a code once; a second attempt fails and takes the tokens of the first with it', async () => {
    const { authorization, callback } = await codeFor();
    const tokens = await exchange(rp.config, authorization, callback);
    await expect(exchange(rp.config, authorization, callback)).rejects.toMatchObject({ error: 'invalid_grant' });
    const userinfo = await fetch(`${rp.server.origin}/oidc/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(401);
  });

  it('refuses a code with a wrong PKCE verifier or none', async () => {
    const { callback } = await codeFor();
    const code = callback.searchParams.get('code') as string;
    const wrong = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: rp.app.redirectUri, code_verifier: oidc.randomPKCECodeVerifier() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const second = await codeFor();
    const missing = await tokenRequest({ grant_type: 'authorization_code', code: second.callback.searchParams.get('code') as string, redirect_uri: rp.app.redirectUri });
    expect(missing.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(missing.body.error);
  });

  it('refuses an authorization request without PKCE, with the plain method, or for implicit tokens', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const base = { client_id: rp.app.clientId, redirect_uri: rp.app.redirectUri, scope: 'openid', state: 's' };
    const withoutPkce = await visitor.get(`/oidc/auth?${new URLSearchParams({ ...base, response_type: 'code' })}`);
    expect(new URL(withoutPkce.headers.location as string).searchParams.get('error')).toBe('invalid_request');
    const plain = await visitor.get(`/oidc/auth?${new URLSearchParams({ ...base, response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`);
    expect(new URL(plain.headers.location as string).searchParams.get('error')).toBe('invalid_request');
    const implicit = await visitor.get(`/oidc/auth?${new URLSearchParams({ ...base, response_type: 'id_token token', nonce: 'n' })}`);
    expect(new URL(implicit.headers.location as string, 'https://app.example').searchParams.get('error') ?? new URL(implicit.headers.location as string).hash).toMatch(/unsupported_response_type/);
  });

  it("refuses another application's code, and a wrong client secret", async () => {
    const other = await registerApp(t, { name: 'Other', redirectUris: ['https://app.example/callback'] });
    const { authorization, callback } = await codeFor();
    const stolen = await tokenRequest({ grant_type: 'authorization_code', code: callback.searchParams.get('code') as string, redirect_uri: rp.app.redirectUri, code_verifier: authorization.codeVerifier }, other.clientSecret as string).auth(other.clientId, other.clientSecret as string);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    const badSecret = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' }, 'not-the-secret');
    expect(badSecret.status).toBe(401);
    expect(badSecret.body.error).toBe('invalid_client');
  });

  it('refuses an unsigned (alg: none) or forged ID token presented as a hint', async () => {
    const { user, visitor } = await codeFor();
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'http://localhost:3000', aud: rp.app.clientId, sub: user.id, iat: now, exp: now + 600 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const header = b64({ alg: 'RS256', kid: 'forged' });
    const body = b64(claims);
    const forged = `${header}.${body}.${crypto.sign('sha256', Buffer.from(`${header}.${body}`), privateKey).toString('base64url')}`;
    for (const hint of [unsigned, forged]) {
      const authorization = await authorizationRequest(rp.config, rp.app, { prompt: 'none', id_token_hint: hint });
      const res = await visitor.get(authorization.path);
      expect(res.status).toBe(303);
      expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
      const logout = await visitor.get(`/oidc/session/end?id_token_hint=${hint}`);
      expect(logout.status).toBe(400);
    }
  });

  it('answers a NUL or an overlong value where a client id, code or token goes with a 4xx, never a 500', async () => {
    for (const hostile of ['\u0000', `a${'\u0000'}b`, 'x'.repeat(10_000)]) {
      const auth = await new Visitor(t.app).get(`/oidc/auth?${new URLSearchParams({ client_id: hostile, response_type: 'code', scope: 'openid', redirect_uri: rp.app.redirectUri })}`);
      expect(auth.status).toBe(400);
      const code = await tokenRequest({ grant_type: 'authorization_code', code: hostile, redirect_uri: rp.app.redirectUri, code_verifier: oidc.randomPKCECodeVerifier() });
      expect(code.status).toBe(400);
      const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: hostile });
      expect(refresh.status).toBe(400);
      const userinfo = await request(t.app).get('/oidc/me').set('Authorization', `Bearer ${encodeURIComponent(hostile).slice(0, 4000)}`);
      expect(userinfo.status).toBe(401);
    }
  });

  it('counts failed client authentications per address and stops answering after too many', async () => {
    let last = 0;
    for (let i = 0; i < 65 && last !== 429; i += 1) {
      last = (await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' }, `wrong-${i}`).set('X-Forwarded-For', '198.51.100.77')).status;
    }
    expect(last).toBe(429);
    const stillRefused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' }).set('Accept', 'application/json');
    expect([400, 429]).toContain(stillRefused.status);
  });

  describe('the interaction pages, given bad input', () => {
    it.each([
      ['an unknown step', '/interaction/abcdefghijklmnopqrstu'],
      ['an overlong step', `/interaction/${'a'.repeat(5000)}`],
      ['hostile characters', `/interaction/${encodeURIComponent('<script>alert(1)</script>')}`],
    ])('answers %s with a translated 400 page, never a 500', async (_case, path) => {
      const res = await new Visitor(t.app, undefined, 'de').get(path);
      expect(res.status).toBe(400);
      expect(res.text).toContain('abgelaufen');
      expect(res.text).not.toContain('<script>alert(1)</script>');
    });

    it("refuses a step opened in another browser (the library's interaction cookie binds it)", async () => {
      const owner = await signedIn(t, await createUser(t));
      const authorization = await authorizationRequest(rp.config, rp.app);
      const started = await owner.get(authorization.path);
      const step = new URL(started.headers.location as string, 'http://localhost:3000').pathname;
      const thief = await signedIn(t, await createUser(t));
      expect((await thief.get(step)).status).toBe(400);
    });

    it('refuses Allow without the CSRF token, and Allow for a step that is not a consent', async () => {
      const { visitor } = await codeFor();
      const authorization = await authorizationRequest(rp.config, rp.app, { prompt: 'consent' });
      const started = await visitor.get(authorization.path);
      const step = new URL(started.headers.location as string, 'http://localhost:3000').pathname;
      expect((await visitor.post(`${step}/confirm`, {})).status).toBe(403);
      const page = await visitor.get(step);
      expect(page.status).toBe(200);
      const other = await visitor.post('/interaction/abcdefghijklmnopqrstu/confirm', { _csrf: csrfTokenIn(page.text) });
      expect(other.status).toBe(400);
    });
  });
});
