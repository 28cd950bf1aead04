import request from 'supertest';
import { userTag } from '../../src/infra/session-store/session-ids';
import { startTestApp, type TestApp } from '../helpers/app';
import type { Visitor } from '../helpers/browser-agent';
import { createUser, signedIn } from '../helpers/factories';
import { PrivateCluster } from '../helpers/private-cluster';

/** A request that hangs fails the test after this long instead of holding it for a minute. */
const PATIENCE_MS = 15_000;

const cluster = new PrivateCluster();
let t: TestApp;

beforeAll(async () => {
  await cluster.start();
  t = await startTestApp({ REDIS_CLUSTER_NODES: cluster.nodes, REDIS_COMMAND_TIMEOUT_MS: '500' });
});

afterAll(async () => {
  await t?.close();
  await cluster.stop();
});

/** A signed-in person, and the master their sessions live on. */
async function person(): Promise<{ visitor: Visitor; master: number }> {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  return { visitor, master: await cluster.masterOf(`{${userTag(t.config.sessionSecret, user.id)}}`) };
}

describe('When one master of the Redis Cluster stops answering (paused, its port still open)', () => {
  it('the people whose sessions live there get the 503 page within seconds, everyone else is served, and all are served once it resumes', async () => {
    const people = [];
    for (let i = 0; i < 20 && new Set(people.map((p) => p.master)).size < 2; i++) people.push(await person());
    const hung = people[0] as { visitor: Visitor; master: number };
    const other = people.find((p) => p.master !== hung.master) as { visitor: Visitor; master: number };

    cluster.pause(hung.master);
    try {
      const started = Date.now();
      const res = await hung.visitor.agent.get('/profile/account').set('Accept', 'text/html').timeout(PATIENCE_MS);
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await other.visitor.agent.get('/profile/account').timeout(PATIENCE_MS)).status).toBe(200);
      expect((await request(t.app).get('/readyz').timeout(PATIENCE_MS)).status).toBe(503);
    } finally {
      cluster.resume(hung.master);
    }
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await hung.visitor.agent.get('/profile/account').timeout(PATIENCE_MS)).status;
    }
    expect(status).toBe(200);
    expect((await request(t.app).get('/readyz').timeout(PATIENCE_MS)).status).toBe(200);
  });
});
