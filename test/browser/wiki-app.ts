import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Site } from './browser';

/** The "Wiki": an application that signs its users in with the site, on a loopback port of its own. */
export interface Wiki {
  origin: string;
  clientId: string;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;

/**
 * A relying party as an application's developer writes one with openid-client: discovery
 * at the site, the code flow with PKCE, state and nonce, the userinfo endpoint, and
 * RP-initiated logout. It keeps the pending sign-ins in memory, by state.
 */
export async function startWiki(site: Site): Promise<Wiki> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { client, clientSecret } = await site.t.services.applications.register({
    name: 'Wiki',
    redirect_uris: [`${origin}/callback`],
    post_logout_redirect_uris: [`${origin}/bye`],
    public: false,
  });
  const config = await oidc.discovery(new URL(site.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret as string), { execute: [oidc.allowInsecureRequests] });
  const pending = new Map<string, { codeVerifier: string; nonce: string }>();

  const routes: Record<string, (url: URL, res: http.ServerResponse) => Promise<void>> = {
    /** GET /login: off to the site, with a fresh PKCE verifier, state and nonce. */
    '/login': async (_url, res) => {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { codeVerifier, nonce });
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${origin}/callback`,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      res.writeHead(302, { Location: target.href }).end();
    },
    /** GET /callback: the code exchanged, the person greeted with their name and picture. */
    '/callback': async (url, res) => {
      const state = url.searchParams.get('state') ?? '';
      const request = pending.get(state);
      if (!request) throw new Error(`unknown state: ${url.search}`);
      pending.delete(state);
      const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: request.codeVerifier, expectedState: state, expectedNonce: request.nonce });
      const claims = tokens.claims();
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? oidc.skipSubjectCheck);
      const signOut = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: `${origin}/bye` });
      const picture = typeof info.picture === 'string' ? `<img id="picture" src="${escapeHtml(info.picture)}" alt="" width="128" height="128">` : '';
      const body = `<h1>Hello ${escapeHtml(String(info.name))}</h1>${picture}<p id="email">${escapeHtml(String(info.email))}</p><p><a id="sign-out" href="${escapeHtml(signOut.href)}">Sign out</a></p>`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Wiki', body));
    },
    /** GET /bye: where the site sends the person after signing them out. */
    '/bye': async (_url, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page('Wiki', '<h1>You are signed out of Wiki</h1>'));
    },
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const route = routes[url.pathname];
    if (!route) return res.writeHead(404).end();
    // A failure shows on the page, where the test's assertion on it prints it.
    route(url, res).catch((error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`Wiki failed: ${String(error)}`));
  });

  return {
    origin,
    clientId: client.clientId,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps its connections open; they would hold the close up.
        server.closeAllConnections();
      }),
  };
}
