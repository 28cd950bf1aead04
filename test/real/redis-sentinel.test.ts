import request from 'supertest';
import { Visitor, csrfTokenIn } from '../helpers/browser-agent';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, signedIn } from '../helpers/factories';
import { PrivateSentinel } from '../helpers/private-sentinel';
import { guessesAreLimited, signOutAnotherDevice } from '../helpers/redis-topology-stories';

const sentinel = new PrivateSentinel();
let t: TestApp;

beforeAll(async () => {
  await sentinel.start();
  t = await startTestApp({ REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.masterName, TRUST_PROXY: 'true', SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '3' });
});

afterAll(async () => {
  await t?.close();
  await sentinel.stop();
});

describe('The app on a Redis master found through Sentinel', () => {
  it('is ready once the master the sentinel names answers', async () => {
    expect(t.config.redis?.kind).toBe('sentinel');
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.redis).toBe('ok');
  });

  it('signs in, lists the devices on the Sessions tab and signs out the one chosen', () => signOutAnotherDevice(t));

  it('limits password guesses, counted on the master', () => guessesAreLimited(t, '203.0.113.78'));

  it('follows a failover: sessions from before stay valid, sign-ins soon land on the new master, and nothing answers 500 meanwhile', async () => {
    const user = await createUser(t);
    const before = await signedIn(t, user);
    await sentinel.failover();
    const statuses = new Set<number>();
    // Until the client has moved to the new master, a sign-in may land on the old one and be lost with it.
    let after: Visitor | undefined;
    for (let i = 0; i < 100 && !after; i++) {
      const visitor = new Visitor(t.app);
      const page = await visitor.get('/login');
      statuses.add(page.status);
      const res = page.status === 200 ? await visitor.post('/login', { _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password }) : undefined;
      if (res) statuses.add(res.status);
      const account = res?.status === 303 ? await visitor.get('/profile/account') : undefined;
      if (account) statuses.add(account.status);
      if (account?.status === 200) after = visitor;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...statuses].filter((status) => ![200, 302, 303, 503].includes(status))).toEqual([]);
    expect(await sentinel.masterAddress()).toBe(`127.0.0.1:${sentinel.replicaPort}`);
    expect((await before.get('/profile/account')).status).toBe(200);
    expect((await after?.get('/profile/sessions'))?.text).toContain('2 active sessions.');
  });
});
