import crypto from 'node:crypto';
import request from 'supertest';
import signature from 'cookie-signature';
import { userTag } from '../../../src/infra/session-store/session-ids';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

/** The session id inside a `sid` Set-Cookie (`s:<id>.<signature>`, URL-encoded), and the raw cookie pair. */
function sessionCookie(res: request.Response): { id: string; pair: string } | undefined {
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sid='));
  if (!cookie) return undefined;
  const pair = cookie.split(';')[0] as string;
  const value = decodeURIComponent(pair.slice('sid='.length));
  return { id: value.slice(2, value.lastIndexOf('.')), pair };
}

const storedSession = (id: string) =>
  new Promise<unknown>((resolve, reject) => t.deps.sessions.get(id, (err, data) => (err ? reject(err as Error) : resolve(data ?? null))));

const signedInAs = async (pair: string) => (await request(t.app).get('/profile/account').set('Cookie', pair).set('Accept', 'text/html')).status === 200;

describe('Session ids', () => {
  it('are 192 bits straight from crypto.randomBytes; a signed-in one starts with its user\'s hash tag, never the user id', async () => {
    const draw = crypto.randomBytes;
    const drawn = new Set<string>();
    // Watches the CSPRNG without replacing it: every draw is the real one, and is noted.
    const spy = jest.spyOn(crypto, 'randomBytes').mockImplementation(((size: number, callback?: (err: Error | null, bytes: Buffer) => void) => {
      if (!callback) {
        const bytes = draw(size);
        drawn.add(bytes.toString('base64url'));
        return bytes;
      }
      draw(size, (err, bytes) => {
        if (bytes) drawn.add(bytes.toString('base64url'));
        callback(err, bytes);
      });
      return undefined;
    }) as typeof crypto.randomBytes);
    const anonymousIds: string[] = [];
    const signedInIds: Array<{ id: string; userId: string }> = [];
    try {
      for (let i = 0; i < 20; i++) {
        anonymousIds.push(sessionCookie(await request(t.app).get('/login').set('Accept', 'text/html'))?.id as string);
        const user = await createUser(t);
        const visitor = new Visitor(t.app);
        const page = await visitor.get('/login');
        const signIn = sessionCookie(await visitor.post('/login', { _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password }));
        signedInIds.push({ id: signIn?.id as string, userId: user.id });
      }
    } finally {
      spy.mockRestore();
    }
    for (const id of anonymousIds) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    for (const { id, userId } of signedInIds) {
      expect(id).toMatch(/^\{[A-Za-z0-9_-]{4}\}[A-Za-z0-9_-]{32}$/);
      expect(id.slice(0, 6)).toBe(`{${userTag(t.config.sessionSecret, userId)}}`);
      expect(id).not.toContain(userId);
    }
    const randomParts = [...anonymousIds, ...signedInIds.map(({ id }) => id.slice(6))];
    expect(randomParts).toHaveLength(40);
    for (const id of randomParts) {
      expect(Buffer.from(id, 'base64url')).toHaveLength(24);
      expect({ id, fromRandomBytes: drawn.has(id) }).toEqual({ id, fromRandomBytes: true });
    }
    expect(new Set(randomParts).size).toBe(randomParts.length);
    // Not a counter or a constant pattern: about half of all the bits are set.
    const bits = randomParts.flatMap((id) => [...Buffer.from(id, 'base64url')].flatMap((byte) => [...byte.toString(2).padStart(8, '0')]));
    const ones = bits.filter((bit) => bit === '1').length / bits.length;
    expect(ones).toBeGreaterThan(0.45);
    expect(ones).toBeLessThan(0.55);
  });

  it('are new at sign-in and at re-authentication, and the id from before stops working', async () => {
    const user = await createUser(t);
    const visitor = new Visitor(t.app);
    const form = await visitor.get('/login');
    const anonymous = sessionCookie(form);
    const signIn = await visitor.post('/login', { _csrf: csrfTokenIn(form.text), identifier: user.username, password: user.password });
    const afterSignIn = sessionCookie(signIn);
    expect(afterSignIn?.id).toBeDefined();
    expect(afterSignIn?.id).not.toBe(anonymous?.id);
    expect(await storedSession(anonymous?.id as string)).toBeNull();
    expect(await signedInAs(afterSignIn?.pair as string)).toBe(true);

    t.clock.advance(11 * 60_000);
    const prompt = await visitor.get('/reauth?next=%2Fprofile%2Faccount');
    const confirmed = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: user.password, next: '/profile/account' });
    expect(confirmed.status).toBe(303);
    const afterReauth = sessionCookie(confirmed);
    expect(afterReauth?.id).toBeDefined();
    expect(afterReauth?.id).not.toBe(afterSignIn?.id);
    expect(await storedSession(afterSignIn?.id as string)).toBeNull();
    expect(await signedInAs(afterSignIn?.pair as string)).toBe(false);
    expect(await signedInAs(afterReauth?.pair as string)).toBe(true);
  });

  it('are checked against the store on every request: a forged signature or an id the store does not hold signs nobody in', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const [session] = await t.deps.sessions.listByUser(user.id);
    expect(session).toBeDefined();
    const page = await visitor.get('/profile/account');
    expect(page.status).toBe(200);

    const unknownId = crypto.randomBytes(24).toString('base64url');
    const wellSignedUnknown = `sid=${encodeURIComponent(`s:${signature.sign(unknownId, t.config.sessionSecret)}`)}`;
    const forged = `sid=${encodeURIComponent(`s:${signature.sign(unknownId, 'not the secret of this installation')}`)}`;
    const unsigned = `sid=${unknownId}`;
    for (const pair of [wellSignedUnknown, forged, unsigned]) expect({ pair, signedIn: await signedInAs(pair) }).toEqual({ pair, signedIn: false });
  });
});
