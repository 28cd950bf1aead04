import crypto from 'node:crypto';
import type { SessionData } from 'express-session';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/infra/logger';
import { createRedisFor, type Redis } from '../../src/infra/redis';
import { RedisSessionStore } from '../../src/infra/session-store/redis-session-store';
import { sessionHandle } from '../../src/infra/session-store/session-data';
import { newSessionId, userTag } from '../../src/infra/session-store/session-ids';
import type { SessionRegistry } from '../../src/infra/session-store/session-registry';
import { SqlSessionStore } from '../../src/infra/session-store/sql-session-store';
import { deleteRedisKeys, describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';

const t = describeApp();

/** A store, and how many entries it keeps about a user's sessions, expired or not. */
type Store = [string, () => SessionRegistry, (userId: string) => Promise<number>];

const taggedIndex = (userId: string) => `${t.config.redisKeyPrefix}user-sess:{${userTag(t.config.sessionSecret, userId)}}${userId}`;
const stores: Store[] = [
  ['SQL store', () => new SqlSessionStore(t.deps.db, 60_000), async (userId) => Number((await t.deps.db('sessions').where({ user_id: userId }).count<{ count: string }[]>('* as count'))[0]?.count)],
];

// On the real back-ends, the Redis store also runs on a three-master Redis Cluster (.ci/run starts one), where each transaction must stay in one slot.
let cluster: Redis | undefined;
if (process.env.TEST_BACKEND === 'real') {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES;
  if (!nodes) throw new Error('TEST_REDIS_CLUSTER_NODES is not set: the real project tests the Redis store on a three-master Redis Cluster too (HOST:PORT,HOST:PORT,HOST:PORT), as .ci/run starts one');
  let prefix = '';
  beforeAll(async () => {
    prefix = t.config.redisKeyPrefix;
    cluster = createRedisFor(loadConfig({ REDIS_CLUSTER_NODES: nodes }).redis as never, createLogger('silent'), { connectMs: 2000, commandMs: 2000 });
    await cluster.connect();
  });
  // Runs after the app has closed: the prefix was noted while it ran.
  afterAll(async () => {
    if (cluster) await deleteRedisKeys(cluster, prefix);
    await cluster?.close();
  });
  stores.push(
    ['Redis store', () => new RedisSessionStore(t.deps.redis as Redis, t.config.redisKeyPrefix, 60_000, t.config.sessionSecret), async (userId) => (await t.deps.redis?.zCard(taggedIndex(userId))) ?? 0],
    ['Redis Cluster store', () => new RedisSessionStore(cluster as Redis, t.config.redisKeyPrefix, 60_000, t.config.sessionSecret), async (userId) => (await cluster?.zCard(taggedIndex(userId))) ?? 0],
  );
}

function sessionFor(userId: string | undefined, lifetimeMs: number, extra: Partial<SessionData> = {}): SessionData {
  return {
    cookie: { originalMaxAge: lifetimeMs, expires: new Date(Date.now() + lifetimeMs), httpOnly: true, path: '/' },
    ...(userId ? { userId, createdAt: Date.now() } : {}),
    ...extra,
  } as SessionData;
}

/** An id as the app makes it: a signed-in session's tagged with its user, an anonymous one without. */
const sid = (userId?: string) => (userId ? newSessionId(userTag(t.config.sessionSecret, userId)) : crypto.randomBytes(24).toString('base64url'));
const set = (store: SessionRegistry, id: string, data: SessionData) => new Promise<void>((resolve, reject) => store.set(id, data, (err) => (err ? reject(err as Error) : resolve())));
const get = (store: SessionRegistry, id: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) => store.get(id, (err, data) => (err ? reject(err as Error) : resolve(data))));

describe.each(stores)('%s', (_name, make, indexed) => {
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
    const a1 = sid(alice.id);
    const a2 = sid(alice.id);
    await set(store, a1, sessionFor(alice.id, 60_000, { ip: '192.0.2.1' }));
    await set(store, a2, sessionFor(alice.id, 120_000, { ip: '192.0.2.2' }));
    await set(store, sid(bob.id), sessionFor(bob.id, 60_000));
    await set(store, sid(), sessionFor(undefined, 60_000));
    const listed = await store.listByUser(alice.id);
    expect(listed.map((s) => s.id)).toEqual([sessionHandle(a2), sessionHandle(a1)]);
    expect(listed.map((s) => s.data.ip)).toEqual(['192.0.2.2', '192.0.2.1']);
    expect(listed.every((s) => !JSON.stringify(s).includes(a1))).toBe(true);
  });

  it('counts a user\'s live sessions without reading them: expired and revoked ones do not count, nor anyone else\'s', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    expect(await store.countByUser(alice.id)).toBe(0);
    const short = sid(alice.id);
    const revoked = sid(alice.id);
    await set(store, short, sessionFor(alice.id, 1_000));
    await set(store, revoked, sessionFor(alice.id, 60_000));
    await set(store, sid(alice.id), sessionFor(alice.id, 60_000));
    await set(store, sid(bob.id), sessionFor(bob.id, 60_000));
    expect(await store.countByUser(alice.id)).toBe(3);
    await store.destroyByHandle(alice.id, sessionHandle(revoked));
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await store.countByUser(alice.id)).toBe(1);
    expect(await store.countByUser(bob.id)).toBe(1);
  });

  it('revokes one session by handle, only for its owner', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const a1 = sid(alice.id);
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
    const keep = sid(alice.id);
    const others = [sid(alice.id), sid(alice.id), sid(alice.id)];
    for (const id of [keep, ...others]) await set(store, id, sessionFor(alice.id, 60_000));
    expect(await store.destroyAllForUser(alice.id, keep)).toBe(3);
    expect((await store.listByUser(alice.id)).map((s) => s.id)).toEqual([sessionHandle(keep)]);
    for (const id of others) expect(await get(store, id)).toBeFalsy();
    expect(await store.destroyAllForUser(alice.id)).toBe(1);
    expect(await get(store, keep)).toBeFalsy();
  });

  it('forgets expired sessions: never listed, never returned, pruned from the index', async () => {
    const alice = await createUser(t);
    const short = sid(alice.id);
    await set(store, short, sessionFor(alice.id, 1_000));
    await set(store, sid(alice.id), sessionFor(alice.id, 60_000));
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await get(store, short)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toHaveLength(1);
    await store.sweepExpired();
    expect(await indexed(alice.id)).toBe(1);
  });

  it('remembers why a session was ended, once', async () => {
    const alice = await createUser(t);
    const [a, b, c] = [sid(alice.id), sid(alice.id), sid(alice.id)];
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
    const id = sid(alice.id);
    await set(store, id, sessionFor(alice.id, 60_000));
    await set(store, id, sessionFor(alice.id, -1_000));
    expect(await get(store, id)).toBeFalsy();
    expect(await store.listByUser(alice.id)).toEqual([]);
  });
});

if (process.env.TEST_BACKEND === 'real') {
  const redisStore = () => new RedisSessionStore(t.deps.redis as Redis, t.config.redisKeyPrefix, 60_000, t.config.sessionSecret);

  describe('Redis store keys', () => {
    it('keeps a user\'s sessions in one cluster hash slot: the session keys and the index share the user\'s tag', async () => {
      const alice = await createUser(t);
      const id = newSessionId(userTag(t.config.sessionSecret, alice.id));
      await set(redisStore(), id, sessionFor(alice.id, 60_000));
      const tag = `{${userTag(t.config.sessionSecret, alice.id)}}`;
      expect(id.startsWith(tag)).toBe(true);
      expect(await t.deps.redis?.get(`${t.config.redisKeyPrefix}sess:${id}`)).toBeTruthy();
      expect(await t.deps.redis?.zRange(`${t.config.redisKeyPrefix}user-sess:${tag}${alice.id}`, 0, -1)).toEqual([id]);
    });

    it('still lists, revokes and ends the sessions signed in before ids carried a user tag', async () => {
      const alice = await createUser(t);
      const store = redisStore();
      const older = [crypto.randomBytes(24).toString('base64url'), crypto.randomBytes(24).toString('base64url')];
      const tagged = newSessionId(userTag(t.config.sessionSecret, alice.id));
      for (const id of [...older, tagged]) await set(store, id, sessionFor(alice.id, 60_000));
      expect(await t.deps.redis?.zCard(`${t.config.redisKeyPrefix}user-sess:${alice.id}`)).toBe(2);
      expect((await store.listByUser(alice.id)).map((s) => s.id).sort()).toEqual([...older, tagged].map(sessionHandle).sort());
      expect(await store.destroyByHandle(alice.id, sessionHandle(older[0] as string), 'revoked')).toBe(true);
      expect(await store.takeEndReason(older[0] as string)).toBe('revoked');
      expect(await store.destroyAllForUser(alice.id, tagged, 'password_changed')).toBe(1);
      expect(await get(store, older[1] as string)).toBeFalsy();
      expect(await store.takeEndReason(older[1] as string)).toBe('password_changed');
      expect((await store.listByUser(alice.id)).map((s) => s.id)).toEqual([sessionHandle(tagged)]);
    });
  });
}
