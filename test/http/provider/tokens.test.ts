import * as oidc from 'openid-client';
import { createOneTimeLinks } from '../../../src/core/one-time-links/one-time-links';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import * as images from '../../helpers/images';
import { authorizationRequest, exchange, describeApplication, walk } from '../../helpers/relying-party';

describe("an application's tokens: userinfo, refresh with rotation, revocation, and a locked account", () => {
  const t = describeApp();
  const rp = describeApplication(t, { name: 'Team Chat' });

  /** A person signed in here who allows the application; answers the application's tokens. */
  async function connected(scope = 'openid profile email offline_access') {
    const user = await createUser(t, { firstName: 'Grace', lastName: 'Hopper', emailVerified: true });
    const visitor = await signedIn(t, user);
    // OpenID Connect gives refresh tokens (offline_access) only where consent is asked for explicitly.
    const request = await authorizationRequest(rp.config, rp.app, { scope, ...(scope.includes('offline_access') ? { prompt: 'consent' } : {}) });
    const result = await walk(visitor, request.path, { consent: 'allow' });
    const tokens = await exchange(rp.config, request, result.left as URL);
    return { user, visitor, tokens };
  }

  const userinfoStatus = async (accessToken: string) => (await fetch(`${rp.server.origin}/oidc/me`, { headers: { Authorization: `Bearer ${accessToken}` } })).status;

  it("gives userinfo with the person's picture at a URL the application can fetch, and shows changes at once", async () => {
    const { user, visitor, tokens } = await connected();
    const page = await visitor.get('/profile/account');
    const uploaded = await visitor.agent.post('/profile/account/avatar').set('Accept', 'text/html').field('_csrf', csrfTokenIn(page.text)).attach('avatar', await images.solidPng(300, 300), { filename: 'me.png', contentType: 'image/png' });
    expect(uploaded.status).toBe(303);
    await t.repos.users.setName(user.id, { firstName: 'Amazing', lastName: 'Grace' }, t.clock.now());

    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, name: 'Amazing Grace', given_name: 'Amazing', family_name: 'Grace', email: user.email, email_verified: true });
    const picture = new URL(String(info.picture));
    expect(picture.origin).toBe('http://localhost:3000');
    const fetched = await fetch(`${rp.server.origin}${picture.pathname}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toMatch(/^image\//);
    // Applications show it on their own pages: the file may be embedded across origins.
    expect(fetched.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await fetched.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });

  it('releases only what the scopes allow: openid alone gives the subject and nothing about the person', async () => {
    const { user, tokens } = await connected('openid');
    const claims = tokens.claims();
    expect(claims?.sub).toBe(user.id);
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('name');
    expect(tokens.refresh_token).toBeUndefined();
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, user.id);
    expect(Object.keys(info)).toEqual(['sub']);
  });

  it('rotates refresh tokens, and a spent one used again revokes the whole family', async () => {
    const { tokens } = await connected();
    expect(tokens.refresh_token).toBeTruthy();
    const first = tokens.refresh_token as string;
    const rotated = await oidc.refreshTokenGrant(rp.config, first);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(first);
    expect(await userinfoStatus(rotated.access_token)).toBe(200);

    await expect(oidc.refreshTokenGrant(rp.config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The replay ended everything issued under the grant: the new refresh token and its access token too.
    await expect(oidc.refreshTokenGrant(rp.config, rotated.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await userinfoStatus(rotated.access_token)).toBe(401);
  });

  it('revoking the application on the Connected apps tab ends its refresh and access tokens at once', async () => {
    const { visitor, tokens } = await connected();
    const tab = await visitor.get('/profile/apps');
    expect(tab.text).toContain('Team Chat');
    const revoked = await visitor.post(`/profile/apps/${encodeURIComponent(rp.app.clientId)}/revoke`, { _csrf: csrfTokenIn(tab.text) });
    expect(revoked.status).toBe(303);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    // Revoked means asked again: the next sign-in shows the consent page.
    const again = await authorizationRequest(rp.config, rp.app);
    const result = await walk(visitor as Visitor, again.path);
    expect(result.page?.text).toContain(`/interaction/`);
    expect(result.page?.text).toContain('Team Chat');
  });

  it('lets the application revoke its own token (RFC 7009) and ask about one (RFC 7662)', async () => {
    const { tokens } = await connected();
    const active = await oidc.tokenIntrospection(rp.config, tokens.access_token);
    expect(active).toMatchObject({ active: true, client_id: rp.app.clientId });
    await oidc.tokenRevocation(rp.config, tokens.refresh_token as string);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, tokens.refresh_token as string)).active).toBe(false);
  });

  it('refuses every token of an account as soon as it is locked, and the grant is gone with it', async () => {
    const { user, tokens } = await connected();
    expect(await userinfoStatus(tokens.access_token)).toBe(200);
    await t.services.adminUsers.setLocked(user.username, true);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await t.repos.oidcPayloads.listGrants(user.id, t.clock.now())).toEqual([]);
  });

  it('refuses the tokens of an account locked down with "This wasn\'t me" and of a deleted account', async () => {
    const locked = await connected();
    const token = await createOneTimeLinks({ repos: t.repos, clock: t.clock }).issue(t.repos, { purpose: 'lockdown', userId: locked.user.id, lifetimeMs: 60_000 });
    await t.services.lockdown.lockDown(token, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' } as never);
    expect(await userinfoStatus(locked.tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(rp.config, locked.tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });

    const deleted = await connected();
    await t.repos.users.delete(deleted.user.id);
    expect(await userinfoStatus(deleted.tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(rp.config, deleted.tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
