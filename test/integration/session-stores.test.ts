import crypto from 'node:crypto';
import type { SessionData } from 'express-session';
import { RedisSessionStore } from '../../src/infra/session-store/redis-session-store';
import { sessionHandle } from '../../src/infra/session-store/session-data';
import type { SessionRegistry } from '../../src/infra/session-store/session-registry';
import { SqlSessionStore } from '../../src/infra/session-store/sql-session-store';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const t = describeApp();

const stores: Array<[string, () => SessionRegistry]> = [['SQL store', () => new SqlSessionStore(t.deps.db, 60_000)]];
if (process.env.TEST_BACKEND === 'real') stores.push(['Redis store', () => new RedisSessionStore(t.deps.redis as never, t.config.redisKeyPrefix, 60_000)]);

function sessionFor(userId: string | undefined, lifetimeMs: number, extra: Partial<SessionData> = {}): SessionData {
  return {
    cookie: { originalMaxAge: lifetimeMs, expires: new Date(Date.now() + lifetimeMs), httpOnly: true, path: '/' },
    ...(userId ? { userId, createdAt: Date.now() } : {}),
    ...extra,
  } as SessionData;
}

const sid = () => crypto.randomBytes(24).toString('base64url');
const set = (store: SessionRegistry, id: string, data: SessionData) => new Promise<void>((resolve, reject) => store.set(id, data, (err) => (err ? reject(err as Error) : resolve())));
const get = (store: SessionRegistry, id: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) => store.get(id, (err, data) => (err ? reject(err as Error) : resolve(data))));

describe.each(stores)('%s', (_name, make) => {
  let store: SessionRegistry;
  beforeAll(() => {
    store = make();
  });

  it('stores and returns a session', async () => {
    const id = sid();
    await set(store, id, sessionFor(undefined, 60_000, { flash: [{ type: 'info', key: 'x' }] }));
    expect((await get(store, id))?.flash).toEqual([{ type: 'info', key: 'x' }]);
    expect(await get(store, sid())).toBeFalsy();
  });

  it('lists the live sessions of one user, by public handle, and no one else\'s', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const a1 = sid();
    const a2 = sid();
    await set(store, a1, sessionFor(alice.id, 60_000, { ip: '192.0.2.1' }));
    await set(store, a2, sessionFor(alice.id, 120_000, { ip: '192.0.2.2' }));
    await set(store, sid(), sessionFor(bob.id, 60_000));
    await set(store, sid(), sessionFor(undefined, 60_000));
    const listed = await store.listByUser(alice.id);
    expect(listed.map((s) => s.id)).toEqual([sessionHandle(a2), sessionHandle(a1)]);
    expect(listed.map((s) => s.data.ip)).toEqual(['192.0.2.2', '192.0.2.1']);
    expect(listed.every((s) => !JSON.stringify(s).includes(a1))).toBe(true);
  });

  it('revokes one session by handle, only for its owner', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const a1 = sid();
    await set(store, a1, sessionFor(alice.id, 60_000));
    expect(await store.destroyByHandle(bob.id, sessionHandle(a1))).toBe(false);
    expect(await get(store, a1)).toBeTruthy();
    expect(await store.destroyByHandle(alice.id, 'f'.repeat(64))).toBe(false);
    expect(await store.destroyByHandle(alice.id, sessionHandle(a1))).toBe(true);
    expect(await get(store, a1)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toEqual([]);
  });

  it('ends all of a user\'s sessions except the one named', async () => {
    const alice = await createUser(t);
    const keep = sid();
    const others = [sid(), sid(), sid()];
    for (const id of [keep, ...others]) await set(store, id, sessionFor(alice.id, 60_000));
    expect(await store.destroyAllForUser(alice.id, keep)).toBe(3);
    expect((await store.listByUser(alice.id)).map((s) => s.id)).toEqual([sessionHandle(keep)]);
    for (const id of others) expect(await get(store, id)).toBeFalsy();
    expect(await store.destroyAllForUser(alice.id)).toBe(1);
    expect(await get(store, keep)).toBeFalsy();
  });

  it('forgets expired sessions: never listed, never returned, pruned from the index', async () => {
    const alice = await createUser(t);
    const short = sid();
    await set(store, short, sessionFor(alice.id, 1_000));
    await set(store, sid(), sessionFor(alice.id, 60_000));
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await get(store, short)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toHaveLength(1);
    await store.sweepExpired();
    if (store instanceof RedisSessionStore) {
      expect(await t.deps.redis?.zCard(`${t.config.redisKeyPrefix}user-sess:${alice.id}`)).toBe(1);
    } else {
      expect(await t.deps.db('sessions').where({ user_id: alice.id }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    }
  });

  it('remembers why a session was ended, once', async () => {
    const alice = await createUser(t);
    const [a, b, c] = [sid(), sid(), sid()];
    for (const id of [a, b, c]) await set(store, id, sessionFor(alice.id, 60_000));
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
    const id = sid();
    await set(store, id, sessionFor(alice.id, 60_000));
    await set(store, id, sessionFor(alice.id, -1_000));
    expect(await get(store, id)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toEqual([]);
  });
});
