import crypto from 'node:crypto';
import { RedisSessionStore } from '../../src/infra/session-store/redis-session-store';
import { sessionHandle } from '../../src/infra/session-store/session-data';
import { newSessionId, userTag } from '../../src/infra/session-store/session-ids';
import { SqlSessionStore } from '../../src/infra/session-store/sql-session-store';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';
import { getSession, sessionFor, sessionStoreContract, setSession } from '../helpers/session-store-contract';

const t = describeApp();

describe('SQL store', () => {
  sessionStoreContract(
    t,
    () => new SqlSessionStore(t.deps.db, 60_000),
    async (userId) => Number((await t.deps.db('sessions').where({ user_id: userId }).count<{ count: string }[]>('* as count'))[0]?.count),
  );
});

if (process.env.TEST_BACKEND === 'real') {
  const redisStore = () => new RedisSessionStore(t.deps.redis as never, t.config.redisKeyPrefix, 60_000, t.config.sessionSecret);

  describe('Redis store', () => {
    sessionStoreContract(t, redisStore, async (userId) => (await t.deps.redis?.zCard(`${t.config.redisKeyPrefix}user-sess:{${userTag(t.config.sessionSecret, userId)}}${userId}`)) ?? 0);

    it('keeps a user\'s sessions in one cluster hash slot: the session keys and the index share the user\'s tag', async () => {
      const alice = await createUser(t);
      const id = newSessionId(userTag(t.config.sessionSecret, alice.id));
      await setSession(redisStore(), id, sessionFor(alice.id, 60_000));
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
      for (const id of [...older, tagged]) await setSession(store, id, sessionFor(alice.id, 60_000));
      expect(await t.deps.redis?.zCard(`${t.config.redisKeyPrefix}user-sess:${alice.id}`)).toBe(2);
      expect((await store.listByUser(alice.id)).map((s) => s.id).sort()).toEqual([...older, tagged].map(sessionHandle).sort());
      expect(await store.destroyByHandle(alice.id, sessionHandle(older[0] as string), 'revoked')).toBe(true);
      expect(await store.takeEndReason(older[0] as string)).toBe('revoked');
      expect(await store.destroyAllForUser(alice.id, tagged, 'password_changed')).toBe(1);
      expect(await getSession(store, older[1] as string)).toBeFalsy();
      expect(await store.takeEndReason(older[1] as string)).toBe('password_changed');
      expect((await store.listByUser(alice.id)).map((s) => s.id)).toEqual([sessionHandle(tagged)]);
    });
  });
}
