import crypto from 'node:crypto';
import type { SessionData } from 'express-session';
import { newSessionId, userTag } from '../../src/infra/session-store/session-ids';
import { sessionHandle } from '../../src/infra/session-store/session-data';
import type { SessionRegistry } from '../../src/infra/session-store/session-registry';
import type { TestApp } from './app';
import { createUser } from './factories';

export function sessionFor(userId: string | undefined, lifetimeMs: number, extra: Partial<SessionData> = {}): SessionData {
  return {
    cookie: { originalMaxAge: lifetimeMs, expires: new Date(Date.now() + lifetimeMs), httpOnly: true, path: '/' },
    ...(userId ? { userId, createdAt: Date.now() } : {}),
    ...extra,
  } as SessionData;
}

export const setSession = (store: SessionRegistry, id: string, data: SessionData) =>
  new Promise<void>((resolve, reject) => store.set(id, data, (err) => (err ? reject(err as Error) : resolve())));
export const getSession = (store: SessionRegistry, id: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) => store.get(id, (err, data) => (err ? reject(err as Error) : resolve(data))));

/**
 * What every session store does, as the app uses it: session ids are made as the app
 * makes them (a signed-in one tagged with its user, an anonymous one without).
 * `indexed(userId)` counts what the store keeps about the user's sessions, expired or not.
 */
export function sessionStoreContract(t: TestApp, make: () => SessionRegistry, indexed: (userId: string) => Promise<number>): void {
  let store: SessionRegistry;
  beforeAll(() => {
    store = make();
  });
  const sid = (userId?: string) => (userId ? newSessionId(userTag(t.config.sessionSecret, userId)) : crypto.randomBytes(24).toString('base64url'));
  const set = (id: string, data: SessionData) => setSession(store, id, data);
  const get = (id: string) => getSession(store, id);

  it('stores and returns a session', async () => {
    const id = sid();
    await set(id, sessionFor(undefined, 60_000, { flash: [{ type: 'info', key: 'x' }] }));
    expect((await get(id))?.flash).toEqual([{ type: 'info', key: 'x' }]);
    expect(await get(sid())).toBeFalsy();
  });

  it('lists the live sessions of one user, by public handle, and no one else\'s', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const a1 = sid(alice.id);
    const a2 = sid(alice.id);
    await set(a1, sessionFor(alice.id, 60_000, { ip: '192.0.2.1' }));
    await set(a2, sessionFor(alice.id, 120_000, { ip: '192.0.2.2' }));
    await set(sid(bob.id), sessionFor(bob.id, 60_000));
    await set(sid(), sessionFor(undefined, 60_000));
    const listed = await store.listByUser(alice.id);
    expect(listed.map((s) => s.id)).toEqual([sessionHandle(a2), sessionHandle(a1)]);
    expect(listed.map((s) => s.data.ip)).toEqual(['192.0.2.2', '192.0.2.1']);
    expect(listed.every((s) => !JSON.stringify(s).includes(a1))).toBe(true);
  });

  it('revokes one session by handle, only for its owner', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const a1 = sid(alice.id);
    await set(a1, sessionFor(alice.id, 60_000));
    expect(await store.destroyByHandle(bob.id, sessionHandle(a1))).toBe(false);
    expect(await get(a1)).toBeTruthy();
    expect(await store.destroyByHandle(alice.id, 'f'.repeat(64))).toBe(false);
    expect(await store.destroyByHandle(alice.id, sessionHandle(a1))).toBe(true);
    expect(await get(a1)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toEqual([]);
  });

  it('ends all of a user\'s sessions except the one named', async () => {
    const alice = await createUser(t);
    const keep = sid(alice.id);
    const others = [sid(alice.id), sid(alice.id), sid(alice.id)];
    for (const id of [keep, ...others]) await set(id, sessionFor(alice.id, 60_000));
    expect(await store.destroyAllForUser(alice.id, keep)).toBe(3);
    expect((await store.listByUser(alice.id)).map((s) => s.id)).toEqual([sessionHandle(keep)]);
    for (const id of others) expect(await get(id)).toBeFalsy();
    expect(await store.destroyAllForUser(alice.id)).toBe(1);
    expect(await get(keep)).toBeFalsy();
  });

  it('forgets expired sessions: never listed, never returned, pruned from the index', async () => {
    const alice = await createUser(t);
    const short = sid(alice.id);
    await set(short, sessionFor(alice.id, 1_000));
    await set(sid(alice.id), sessionFor(alice.id, 60_000));
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await get(short)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toHaveLength(1);
    await store.sweepExpired();
    expect(await indexed(alice.id)).toBe(1);
  });

  it('remembers why a session was ended, once', async () => {
    const alice = await createUser(t);
    const [a, b, c] = [sid(alice.id), sid(alice.id), sid(alice.id)];
    for (const id of [a, b, c]) await set(id, sessionFor(alice.id, 60_000));
    await store.destroyByHandle(alice.id, sessionHandle(a), 'revoked');
    await store.destroyAllForUser(alice.id, c, 'password_changed');
    expect(await store.takeEndReason(a)).toBe('revoked');
    expect(await store.takeEndReason(a)).toBeUndefined();
    expect(await store.takeEndReason(b)).toBe('password_changed');
    expect(await store.takeEndReason(c)).toBeUndefined();
    await store.destroyAllForUser(alice.id);
    expect(await store.takeEndReason(c)).toBeUndefined();
  });

  it('treats a save with an expiry in the past as the end of the session', async () => {
    const alice = await createUser(t);
    const id = sid(alice.id);
    await set(id, sessionFor(alice.id, 60_000));
    await set(id, sessionFor(alice.id, -1_000));
    expect(await get(id)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toEqual([]);
  });
}
