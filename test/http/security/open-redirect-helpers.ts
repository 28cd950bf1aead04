import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import type { TestApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { BYPASS_SPELLINGS, attributeValue } from '../../helpers/redirect-spellings';
import { assert, attest, newCredential, type SoftCredential } from '../../helpers/webauthn';

/** A same-site place every door must keep, so that a door that ignores `next` fails too. */
export const SAME_SITE = '/profile/account?tab=1';

/** Each walk below sends every spelling through sign-ins: minutes on a busy machine, not 60 s. */
export const WALK_MS = 600_000;

export type Outcome = { spelling: string; target: string | undefined };

/** What one place made of each spelling: a Location, a JSON redirect, or every link it rendered. */
export async function everySpelling(place: (spelling: string, index: number) => Promise<string | string[] | undefined>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [index, spelling] of BYPASS_SPELLINGS.entries()) {
    const targets = await place(spelling, index);
    for (const target of Array.isArray(targets) ? targets : [targets]) outcomes.push({ spelling, target });
  }
  return outcomes;
}

/** Every return link on a page as the browser reads it: hidden `next` fields, data-next, and the Cancel and Try again links. */
export function returnLinksIn(html: string): string[] {
  const patterns = [/name="next" value="([^"]*)"/g, /data-next="([^"]*)"/g, /href="([^"]*)">(?:Cancel|Try again)</g];
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((m) => attributeValue(m[1] as string)));
}

/** A different client address for each attempt (through the trusted proxy), so per-address limits do not end a walk. */
export const addressFor = (index: number) => `198.51.${100 + Math.floor(index / 250)}.${(index % 250) + 1}`;

/** JSON calls as passkeys.js makes them: the page's CSRF token in a header. */
export function json(visitor: Visitor, path: string, body: object, from: string): Promise<Response> {
  return visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(visitor.lastPage)).set('X-Forwarded-For', from).send(body);
}

/** An account with a passkey registered through the Security tab (so a passkey is also its second step). */
export async function withPasskey(t: TestApp): Promise<{ user: Awaited<ReturnType<typeof createUser>>; credential: SoftCredential }> {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  const credential = newCredential();
  await visitor.get('/profile/security');
  const options = await json(visitor, '/profile/security/passkeys/options', {}, '192.0.2.1');
  const done = await json(visitor, '/profile/security/passkeys', { response: attest(credential, options.body, t.config.baseUrl.origin) }, '192.0.2.1');
  if (done.status !== 200) throw new Error(`Passkey registration failed with ${done.status}`);
  return { user, credential };
}

/** A browser signed in with that passkey alone (its account's second step is the passkey). */
export async function signedInWithPasskey(t: TestApp, credential: SoftCredential): Promise<Visitor> {
  const visitor = new Visitor(t.app);
  await visitor.get('/login');
  const options = await json(visitor, '/login/passkey/options', {}, '192.0.2.2');
  const res = await json(visitor, '/login/passkey', { response: assert(credential, options.body, t.config.baseUrl.origin) }, '192.0.2.2');
  if (res.status !== 200) throw new Error(`Passkey sign-in failed with ${res.status}`);
  return visitor;
}

/**
 * The app on a real port, for request targets that supertest would tidy up first
 * (`//evil.example`, `/.//evil.example`, `http://evil.example/profile`): sent as written.
 */
export async function rawServer(t: TestApp) {
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Status, Location and body; undefined when Node's client refuses to send the target at all. */
  function send(method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string } | undefined> {
    return new Promise((resolve, reject) => {
      let req: http.ClientRequest;
      try {
        req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { Accept: 'text/html', ...headers } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
        });
      } catch {
        resolve(undefined);
        return;
      }
      req.on('error', reject);
      req.end();
    });
  }
  return { send, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
