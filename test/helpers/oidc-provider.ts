import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { killAll } from './child-processes';

/**
 * A real OpenID provider (oidc-provider) for the tests. It runs in a child process
 * (oidc-provider/provider-server.mjs) because Jest cannot load oidc-provider's ES modules.
 */

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  preferred_username?: string;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface TestProviderOptions {
  clients: TestClient[];
  accounts?: TestAccount[];
}

export interface TestProvider {
  /** http://127.0.0.1:<port> */
  issuer: string;
  /** Adds the account, or replaces the one with its sub. */
  addAccount(account: TestAccount): Promise<void>;
  /**
   * The next ID token the token endpoint issues gets these claims instead, re-signed with the
   * provider's own key (so only the claims are wrong). `{ expired: true }` puts iat and exp
   * hours in the past; `{ sign_with_other_key: true }` signs with a key the provider never published.
   */
  tamperNextIdToken(overrides: Record<string, unknown>): Promise<void>;
  /** Forgets a tampering no token request used. */
  resetTampering(): Promise<void>;
  stop(): Promise<void>;
}

export type ProviderLogin = { sub: string; amr?: string[]; acr?: string } | { abort: true };

const script = path.join(__dirname, 'oidc-provider', 'provider-server.mjs');
const startTimeoutMs = 20_000;
const stopTimeoutMs = 5_000;

export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const settings = JSON.stringify({ clients: options.clients, accounts: options.accounts ?? [] });
  const child = spawn(process.execPath, [script], { env: { ...process.env, OIDC_TEST_CONFIG: settings }, stdio: ['pipe', 'pipe', 'pipe'] });
  let port: number;
  try {
    port = await announcedPort(child);
  } catch (error) {
    await killAll([child]);
    throw error;
  }
  const issuer = `http://127.0.0.1:${port}`;
  const control = async (action: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${issuer}/__control/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    if (!response.ok) throw new Error(`test provider: ${action} answered ${response.status}: ${await response.text()}`);
  };
  return {
    issuer,
    addAccount: (account) => control('accounts', account),
    tamperNextIdToken: (overrides) => control('tamper', overrides),
    resetTampering: () => control('reset'),
    stop: () => stopChild(child),
  };
}

/** Waits for the child's {"port":N} line; a child that dies or hangs instead fails with what it wrote to stderr. */
function announcedPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`test OpenID provider ${why}; stderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${startTimeoutMs} ms`), startTimeoutMs);
    const exitedEarly = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited with ${code ?? signal} before listening`);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    child.once('exit', exitedEarly);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^\{"port":(\d+)\}$/m.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve(Number(match[1]));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  child.kill('SIGTERM');
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), stopTimeoutMs).unref());
  if (!(await Promise.race([exited, timedOut]))) await killAll([child]);
}

/**
 * The provider of a test file or describe block: started in a beforeAll, stopped in an afterAll,
 * with tampering forgotten after each test. The returned object reads through to the started
 * provider, so use it inside tests and hooks only.
 */
export function describeProvider(options: TestProviderOptions): TestProvider {
  let started: TestProvider | undefined;
  beforeAll(async () => {
    started = await startTestProvider(options);
  });
  afterEach(async () => {
    await started?.resetTampering();
  });
  const stop = async () => {
    const provider = started;
    started = undefined;
    await provider?.stop();
  };
  afterAll(stop);
  const current = (): TestProvider => {
    if (!started) throw new Error('describeProvider(): the provider runs only between its beforeAll and afterAll; use it inside tests and hooks');
    return started;
  };
  return {
    get issuer() {
      return current().issuer;
    },
    addAccount: (account) => current().addAccount(account),
    tamperNextIdToken: (overrides) => current().tamperNextIdToken(overrides),
    resetTampering: () => current().resetTampering(),
    // Stopping early leaves the afterAll nothing to do.
    stop,
  };
}

/**
 * The person at the provider's pages: given the absolute URL the app redirected the browser to
 * (the provider's authorization endpoint), follows the provider's redirects with a cookie jar of
 * its own, logs in as `sub` (with amr/acr when given) or aborts, and returns the URL the provider
 * finally redirects to off its own origin: the client's redirect_uri with code and state, or an error.
 */
export async function authorizeAtProvider(authorizationUrl: string, as: ProviderLogin): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  const providerOrigin = url.origin;
  let response = await jar.fetch(url);
  let submitted = false;
  for (let hop = 0; hop < 10; hop += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin !== providerOrigin) return url;
      response = await jar.fetch(url);
    } else if (response.status === 200 && !submitted && /^\/interaction\/[\w-]+$/.test(url.pathname)) {
      await response.body?.cancel();
      submitted = true;
      url = new URL(`${url.pathname}/${'abort' in as ? 'abort' : 'login'}`, url);
      response = await jar.fetch(url, { method: 'POST', body: loginForm(as) });
    } else {
      throw new Error(`test OpenID provider answered ${url.href} with ${response.status}: ${await response.text()}`);
    }
  }
  throw new Error(`test OpenID provider: too many redirects, the last to ${url.href}`);
}

function loginForm(as: ProviderLogin): URLSearchParams {
  if ('abort' in as) return new URLSearchParams();
  const form = new URLSearchParams({ sub: as.sub });
  if (as.amr) form.set('amr', as.amr.join(','));
  if (as.acr) form.set('acr', as.acr);
  return form;
}

/** Enough of a browser's cookies for one origin: paths are ignored, an emptied cookie is deleted. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  async fetch(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  private store(setCookie: string): void {
    const pair = setCookie.split(';', 1)[0] ?? '';
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (value) this.cookies.set(name, value);
    else this.cookies.delete(name);
  }
}
