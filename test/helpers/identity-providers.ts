import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import { startTestApp, type StartOptions, type TestApp } from './app';
import { Visitor, csrfTokenIn } from './browser-agent';
import { authorizeAtProvider, startTestProvider, type ProviderLogin, type TestAccount, type TestProvider } from './oidc-provider';

/** An entry of OIDC_PROVIDERS_FILE for a test provider; the flags default as the contract says. */
export interface ProviderEntry {
  id: string;
  name?: string;
  trust_email_verified?: boolean;
  accept_provider_mfa?: boolean;
  allow_signup?: boolean;
  accounts?: TestAccount[];
  /** No provider is started for the entry: it names this issuer instead (one that is down, say), or the one this answers when the app starts. */
  issuer?: string | (() => Promise<string>);
}

export const APP_BASE_URL = 'http://localhost:3000';
export const callbackOf = (id: string) => `${APP_BASE_URL}/auth/oidc/${id}/callback`;

export interface OidcTestApp extends TestApp {
  /** Each configured provider's own real OpenID provider, by id. */
  providers: Record<string, TestProvider>;
}

/**
 * The app configured with OIDC_PROVIDERS_FILE naming one real OpenID provider (oidc-provider,
 * in a child process on a loopback port) per entry, started in a beforeAll and stopped in
 * an afterAll. The returned object reads through to the started app, like describeApp.
 */
export function describeAppWithProviders(entries: ProviderEntry[], env: Record<string, string> = {}, options: StartOptions = {}): OidcTestApp {
  let started: OidcTestApp | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    const providers: Record<string, TestProvider> = {};
    for (const entry of entries) {
      if (entry.issuer) continue;
      providers[entry.id] = await startTestProvider({ clients: [{ client_id: `atrium-${entry.id}`, client_secret: `secret-${entry.id}`, redirect_uris: [callbackOf(entry.id)] }], accounts: entry.accounts ?? [] });
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-oidc-'));
    const file = path.join(dir, 'providers.json');
    const issuers: (string | undefined)[] = [];
    for (const { id, issuer } of entries) issuers.push(typeof issuer === 'function' ? await issuer() : (issuer ?? providers[id]?.issuer));
    const list = entries.map(({ accounts: _accounts, ...entry }, index) => ({
      name: entry.id.toUpperCase(),
      client_id: `atrium-${entry.id}`,
      client_secret: `secret-${entry.id}`,
      scopes: ['openid', 'email', 'profile'],
      ...entry,
      issuer: issuers[index],
    }));
    fs.writeFileSync(file, JSON.stringify(list));
    const app = await startTestApp({ OIDC_PROVIDERS_FILE: file, ...env }, options);
    started = Object.assign(app, { providers });
  });
  afterAll(async () => {
    const app = started;
    started = undefined;
    await app?.close();
    for (const provider of Object.values(app?.providers ?? {})) await provider.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return new Proxy({} as OidcTestApp, {
    get(_target, key) {
      if (!started) throw new Error('describeAppWithProviders(): use the app inside tests and hooks only');
      return (started as unknown as Record<string | symbol, unknown>)[key];
    },
  });
}

/** The form that starts a flow with `providerId` on `page` (sign-in, sign-up, reauth, Connections). */
export async function startAt(visitor: Visitor, page: string, action: string, fields: Record<string, string> = {}): Promise<Response> {
  const shown = await visitor.get(page);
  return visitor.post(action, { _csrf: csrfTokenIn(shown.text), ...fields });
}

/**
 * The whole dance: the button on `page` posts to `action`, the browser follows the app's
 * redirect to the provider, the person signs in there as `login` (or refuses), and the
 * provider's redirect back is opened on the app. Answers the app's answer to the callback.
 */
export async function throughProvider(visitor: Visitor, page: string, action: string, login: ProviderLogin, fields: Record<string, string> = {}): Promise<Response> {
  const started = await startAt(visitor, page, action, fields);
  if (started.status !== 303 || !started.headers.location?.startsWith('http://127.0.0.1:')) throw new Error(`the app did not send the browser to the provider: ${started.status} ${started.headers.location}`);
  const back = await authorizeAtProvider(started.headers.location, login);
  return visitor.get(back.pathname + back.search);
}

/** Signing in with a provider from the sign-in page. */
export function signInWithProvider(visitor: Visitor, providerId: string, login: ProviderLogin): Promise<Response> {
  return throughProvider(visitor, '/login', `/auth/oidc/${providerId}/start`, login);
}
