import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Response } from 'supertest';
import type { TestApp } from './app';
import { csrfTokenIn, type Visitor } from './browser-agent';

/** The app's BASE_URL in the tests, which is the provider's issuer. */
export const ISSUER = 'http://localhost:3000';

export interface RegisteredApp {
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
}

/** Registers an application the way an operator does (apps:create runs the same service). */
export async function registerApp(t: TestApp, options: { name?: string; redirectUris?: string[]; postLogoutRedirectUris?: string[]; public?: boolean } = {}): Promise<RegisteredApp> {
  const redirectUris = options.redirectUris ?? ['https://app.example/callback'];
  const { client, clientSecret } = await t.services.applications.register({
    name: options.name ?? 'Example App',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: options.postLogoutRedirectUris ?? ['https://app.example/signed-out'],
    public: options.public ?? false,
  });
  return { clientId: client.clientId, clientSecret, redirectUri: redirectUris[0] as string };
}

/** The app on a loopback port, for the relying party's back-channel requests (discovery, token, userinfo, JWKS). */
export async function listen(t: TestApp): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface DescribedApplication {
  /** The app on its loopback port, for the application's back-channel requests. */
  server: Awaited<ReturnType<typeof listen>>;
  app: RegisteredApp;
  /** The application's openid-client configuration, from discovery. */
  config: oidc.Configuration;
}

/**
 * One registered application of a test file and its relying party, set up in a beforeAll
 * (after describeApp's) and closed in an afterAll; read it inside tests and hooks only.
 */
export function describeApplication(t: TestApp, options: Parameters<typeof registerApp>[1] = {}): DescribedApplication {
  let described: DescribedApplication | undefined;
  beforeAll(async () => {
    const server = await listen(t);
    const app = await registerApp(t, options);
    described = { server, app, config: await relyingParty(app, server.origin) };
  });
  afterAll(() => described?.server.close());
  const current = () => {
    if (!described) throw new Error('describeApplication(): use it inside tests and hooks');
    return described;
  };
  return {
    get server() {
      return current().server;
    },
    get app() {
      return current().app;
    },
    get config() {
      return current().config;
    },
  };
}

/**
 * An application's side, written with openid-client (another library than the provider's,
 * as a real application would use): discovery at the issuer, ID token signatures checked
 * against the published keys. Its requests to the issuer go to the app's loopback port.
 */
export async function relyingParty(app: RegisteredApp, origin: string): Promise<oidc.Configuration> {
  const customFetch: oidc.CustomFetch = (url, options) => fetch(url.replace(ISSUER, origin), options as RequestInit);
  const auth = app.clientSecret ? oidc.ClientSecretBasic(app.clientSecret) : oidc.None();
  const config = await oidc.discovery(new URL(ISSUER), app.clientId, undefined, auth, { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: customFetch });
  config[oidc.customFetch] = customFetch;
  oidc.enableNonRepudiationChecks(config);
  return config;
}

export interface AuthorizationRequest {
  /** The path and query a browser opens at the app. */
  path: string;
  codeVerifier: string;
  state: string;
  nonce: string;
}

/** An authorization request with PKCE (S256), state and nonce; `params` adds or overrides parameters. */
export async function authorizationRequest(config: oidc.Configuration, app: RegisteredApp, params: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: app.redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { path: url.pathname + url.search, codeVerifier, state, nonce };
}

/** What the person does on the app's pages when asked. */
export interface PersonActions {
  signIn?: { identifier: string; password: string };
  /** A code for the second step, asked after the password. */
  secondFactor?: () => string;
  /** The password again, on the re-authentication page. */
  reauth?: string;
  consent?: 'allow' | 'deny';
}

export interface WalkResult {
  /** Where the browser was sent off the app (the application's redirect URI), if it was. */
  left?: URL;
  /** The page the walk stopped at, when no action was given for it. */
  page?: Response;
  /** Every page and redirect on the way, for assertions on the path taken. */
  trail: string[];
}

const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
const formAction = (html: string, pattern: RegExp) => {
  const found = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => decode(m[1] as string)).find((action) => pattern.test(action));
  return found;
};

/**
 * A browser without JavaScript going through the app from `start`: follows redirects and
 * the "continue" pages, and acts on the sign-in, second-step, re-authentication and
 * consent pages as `actions` say, until it is sent off to another origin or reaches a page
 * it has no action for.
 */
export async function walk(visitor: Visitor, start: string, actions: PersonActions = {}): Promise<WalkResult> {
  const trail: string[] = [];
  let res = await visitor.get(start);
  trail.push(start);
  for (let step = 0; step < 25; step += 1) {
    if (res.status >= 300 && res.status < 400) {
      const target = new URL(res.headers.location as string, ISSUER);
      if (target.origin !== ISSUER) return { left: target, trail };
      trail.push(target.pathname + target.search);
      res = await visitor.get(target.pathname + target.search);
      continue;
    }
    if (res.status !== 200 || res.type !== 'text/html') return { page: res, trail };
    const html = res.text;
    const proceed = /<a id="continue"[^>]*href="([^"]+)"/.exec(html);
    const consent = formAction(html, /^\/interaction\/[^/]+\/confirm$/);
    const signIn = formAction(html, /^\/login$/);
    const second = formAction(html, /^\/login\/2fa$/);
    const reauth = formAction(html, /^\/reauth$/);
    if (proceed?.[1]) {
      const target = new URL(decode(proceed[1]), ISSUER);
      if (target.origin !== ISSUER) return { left: target, trail };
      trail.push(`continue:${target.pathname}`);
      res = await visitor.get(target.pathname + target.search);
    } else if (consent && actions.consent) {
      const action = actions.consent === 'allow' ? consent : consent.replace(/\/confirm$/, '/abort');
      trail.push(`consent:${actions.consent}`);
      res = await visitor.post(action, { _csrf: csrfTokenIn(html) });
    } else if (signIn && actions.signIn) {
      const next = /name="next" value="([^"]*)"/.exec(html)?.[1] ?? '';
      trail.push('sign-in');
      res = await visitor.post('/login', { _csrf: csrfTokenIn(html), identifier: actions.signIn.identifier, password: actions.signIn.password, next: decode(next) });
    } else if (second && actions.secondFactor) {
      trail.push('second-factor');
      res = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(html), code: actions.secondFactor() });
    } else if (reauth && actions.reauth !== undefined) {
      const next = /name="next" value="([^"]*)"/.exec(html)?.[1] ?? '';
      trail.push('reauth');
      res = await visitor.post('/reauth', { _csrf: csrfTokenIn(html), password: actions.reauth, next: decode(next), ...(actions.secondFactor ? { code: actions.secondFactor() } : {}) });
    } else {
      return { page: res, trail };
    }
  }
  throw new Error(`the walk did not end: ${trail.join(' -> ')}`);
}

/** The application's end of the dance: the code from its redirect URI exchanged, the ID token checked. */
export function exchange(config: oidc.Configuration, request: AuthorizationRequest, callback: URL, extra: { maxAge?: number } = {}) {
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce, ...(extra.maxAge !== undefined ? { maxAge: extra.maxAge } : {}) });
}
