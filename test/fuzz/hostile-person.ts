import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestApp } from '../helpers/app';
import { Visitor, csrfTokenIn } from '../helpers/browser-agent';
import { ed25519Key } from '../http/api/api-test-helpers';
import { attest, newCredential } from '../helpers/webauthn';
import { concretePath, routeList } from '../helpers/route-list';
import { HOSTILE_HINTS, POLYGLOT, POLYGLOT_100 } from './xss-payloads';

/**
 * A person who types script into every field the product lets them set, through the
 * forms a browser without JavaScript would use (and the JSON calls passkeys.js makes).
 */

/** A phone whose model, in the User-Agent, is a payload: it ends up in the sessions list. */
export const HOSTILE_PHONE = {
  'User-Agent': `Mozilla/5.0 (Linux; Android 14; ${POLYGLOT_100} Build/UP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36`,
};
/** A Chromium whose client hints are payloads: hints win over the User-Agent for browser, system and model. */
export const HOSTILE_HINTED = { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', ...HOSTILE_HINTS };
/** A User-Agent that is nothing but the polyglot: no parser recognises it, so its raw words are shown. */
export const POLYGLOT_AGENT = { 'User-Agent': POLYGLOT };

/** Posts a form of the page `page` with its CSRF token; answers with the response (redirects not followed). */
export async function submitForm(visitor: Visitor, page: string, fields: Record<string, string>, action = page) {
  const shown = await visitor.get(page);
  return visitor.post(action, { _csrf: csrfTokenIn(shown.text), ...fields });
}

/** A browser that signs in with the given headers on every request (a hostile device). */
export async function signInWithHeaders(t: TestApp, user: { username: string; password: string }, headers: Record<string, string>): Promise<TestAgent> {
  const agent = request.agent(t.app);
  const login = await agent.get('/login').set(headers).set('Accept', 'text/html');
  const res = await agent.post('/login').set(headers).set('Accept', 'text/html').type('form').send({ _csrf: csrfTokenIn(login.text), identifier: user.username, password: user.password });
  if (res.status !== 303) throw new Error(`Sign-in with hostile headers answered ${res.status}`);
  return agent;
}

/** Registers a passkey named `name` from the Security tab, as passkeys.js does; answers the recovery codes a first passkey brings. */
export async function addNamedPasskey(visitor: Visitor, origin: string, name: string): Promise<string[]> {
  const tab = await visitor.get('/profile/security');
  const post = (path: string, body: object) => visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(tab.text)).send(body);
  const options = await post('/profile/security/passkeys/options', {});
  const res = await post('/profile/security/passkeys', { response: attest(newCredential(), options.body, origin), name });
  if (res.status !== 200) throw new Error(`Adding a passkey answered ${res.status}: ${JSON.stringify(res.body)}`);
  if (res.body.redirect !== '/profile/security/recovery-codes') return [];
  const codes = await visitor.get(res.body.redirect);
  await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
  return [...codes.text.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1] as string);
}

/** Adds a token, an app password, an SSH key (title and comment) and a passkey named with these payloads; answers any recovery codes. */
export async function fillCredentials(visitor: Visitor, origin: string, name: string, title: string, comment: string): Promise<string[]> {
  const made = [
    await submitForm(visitor, '/profile/tokens', { name, scope: 'read', expires: '7' }),
    await submitForm(visitor, '/profile/app-passwords', { name, scope: 'read' }),
    await submitForm(visitor, '/profile/keys', { title, key: ed25519Key(comment).line }),
  ];
  for (const res of made) if (![200, 303].includes(res.status)) throw new Error(`A form refused ${name}: ${res.status}`);
  return addNamedPasskey(visitor, origin, name);
}

/** Signs in with a password and a recovery code (the second step a passkey owner without the passkey has). */
export async function signInWithRecoveryCode(t: TestApp, user: { username: string; password: string }, code: string): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  await visitor.submit('/login', { identifier: user.username, password: user.password });
  const res = await visitor.submit('/login/2fa?method=recovery', { recovery_code: code }, '/login/2fa');
  if (res.status !== 303) throw new Error(`Signing in with a recovery code answered ${res.status}`);
  return visitor;
}

export interface Shown {
  path: string;
  status: number;
  type: string;
  headers: Record<string, string>;
  text: string;
}

/**
 * Every page a signed-in person can open: the GET routes that send a visitor who is not
 * signed in to the sign-in page, plus the Activity tab's filters.
 */
export async function signedInPaths(t: TestApp): Promise<string[]> {
  const paths: string[] = [];
  for (const route of routeList(t.app).filter((r) => r.method === 'get' && !r.path.startsWith('/api/'))) {
    const path = concretePath(route);
    const anonymous = await request(t.app).get(path).set('Accept', 'text/html');
    if (anonymous.status === 303 && String(anonymous.headers.location).startsWith('/login')) paths.push(path);
  }
  for (const kind of ['sign_in', 'token_created', 'app_password_created', 'ssh_key_added', 'passkey_added']) paths.push(`/profile/activity?kind=${kind}`);
  return paths;
}

/** The pages at `paths` as this person sees them, following redirects inside the site. */
export async function pagesAt(visitor: Visitor, paths: string[]): Promise<Shown[]> {
  const shown: Shown[] = [];
  for (const path of paths) {
    let res = await visitor.get(path);
    for (let hops = 0; hops < 3 && res.status === 303 && String(res.headers.location).startsWith('/'); hops++) res = await visitor.get(String(res.headers.location));
    shown.push({ path, status: res.status, type: res.type, headers: res.headers as Record<string, string>, text: res.text });
  }
  return shown;
}

/** The JSON the API answers a GET with for this person (their browser session, no parameters). */
export async function apiAnswers(t: TestApp, visitor: Visitor): Promise<Shown[]> {
  const shown: Shown[] = [];
  // The console's API is not this person's: it answers them 404, as the authorization matrix proves.
  const theirs = (path: string) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/admin/');
  for (const route of routeList(t.app).filter((r) => r.method === 'get' && theirs(r.path) && !r.path.includes(':'))) {
    const res = await visitor.agent.get(route.path).set('Accept', 'application/json');
    shown.push({ path: route.path, status: res.status, type: res.type, headers: res.headers as Record<string, string>, text: res.text });
  }
  return shown;
}
