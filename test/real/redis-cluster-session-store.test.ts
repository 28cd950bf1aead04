import request from 'supertest';
import type { createCluster } from 'redis';
import { loadConfig } from '../../src/config';
import { checkBackends } from '../../src/infra/backend-checks';
import { RedisSessionStore } from '../../src/infra/session-store/redis-session-store';
import { newSessionId, userTag } from '../../src/infra/session-store/session-ids';
import { describeApp } from '../helpers/app';
import { createUser } from '../helpers/factories';
import { guessesAreLimited, signOutAnotherDevice } from '../helpers/redis-topology-stories';
import { closedPort } from '../helpers/tcp-proxy';

/** Started by .ci/run (and /work/dev/start-cluster.sh style scripts): three masters on loopback. */
const nodes = process.env.TEST_REDIS_CLUSTER_NODES;
if (!nodes) throw new Error('TEST_REDIS_CLUSTER_NODES is not set: these tests need a three-master Redis Cluster (HOST:PORT,HOST:PORT,HOST:PORT), as .ci/run starts one');

const t = describeApp({ REDIS_CLUSTER_NODES: nodes, TRUST_PROXY: 'true', SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '3' });
const cluster = () => t.deps.redis as unknown as ReturnType<typeof createCluster>;

/** A signed-in session of a minute (the contract itself runs in test/integration/session-stores.test.ts). */
const setSession = (store: RedisSessionStore, id: string, userId: string) =>
  store.set(id, { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, userId, createdAt: Date.now() } as never);

describe('The session store on a three-master Redis Cluster', () => {
  it('runs on a cluster, each user\'s sessions in one slot, the users spread over the three masters', async () => {
    expect(t.config.redis?.kind).toBe('cluster');
    expect(cluster().masters).toHaveLength(3);
    const store = new RedisSessionStore(t.deps.redis as never, t.config.redisKeyPrefix, 60_000, t.config.sessionSecret);
    for (let i = 0; i < 12; i++) {
      const user = await createUser(t);
      await setSession(store, newSessionId(userTag(t.config.sessionSecret, user.id)), user.id);
      await setSession(store, newSessionId(userTag(t.config.sessionSecret, user.id)), user.id);
    }
    const keysPerMaster = await Promise.all(
      cluster().masters.map(async (master) => {
        const client = await cluster().nodeClient(master);
        let count = 0;
        for await (const keys of client.scanIterator({ MATCH: `${t.config.redisKeyPrefix}*`, COUNT: 500 })) count += keys.length;
        return count;
      }),
    );
    expect(keysPerMaster.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(36);
    expect(keysPerMaster.filter((count) => count > 0).length).toBeGreaterThan(1);
  });
});

describe('The app on a Redis Cluster', () => {
  it('reports the cluster ready when every master answers', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.redis).toBe('ok');
  });

  it('signs in, lists the devices on the Sessions tab and signs out the one chosen', () => signOutAnotherDevice(t));

  it('limits password guesses, counted in the cluster', () => guessesAreLimited(t, '203.0.113.77'));
});

describe('Starting on a Redis Cluster', () => {
  it('checks every master answers, and names REDIS_CLUSTER_NODES when none can be reached', async () => {
    expect(await checkBackends({ redis: t.config.redis })).toEqual([]);
    const port = await closedPort();
    expect(await checkBackends({ redis: loadConfig({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` }).redis })).toEqual([`REDIS_CLUSTER_NODES: Redis Cluster at 127.0.0.1:${port}: none of the nodes listed could be reached`]);
  });
});

describe('Single-use values on a Redis Cluster', () => {
  it('lets only the first of several claims use a value', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => t.deps.claims.claim('challenge-on-a-cluster', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.deps.claims.claim('another-challenge', 60_000)).toBe(true);
  });
});
