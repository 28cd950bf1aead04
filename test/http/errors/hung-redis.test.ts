import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { closeDeps, createDeps } from '../../../src/deps';
import { startTestApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { captureLogs } from '../../helpers/log-capture';
import { PrivateRedis } from '../../helpers/private-redis';

/** A request that hangs fails the test after this long instead of holding it for a minute. */
const PATIENCE_MS = 15_000;
/** With the default timeouts (REDIS_COMMAND_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS) a hung Redis is noticed within this. */
const A_FEW_SECONDS = 6_000;

const redis = new PrivateRedis();
beforeEach(async () => redis.start());
afterEach(async () => redis.stop());

async function timed(run: () => Promise<request.Response>): Promise<{ res: request.Response; ms: number }> {
  const started = Date.now();
  const res = await run();
  return { res, ms: Date.now() - started };
}

async function readyAgain(app: Parameters<typeof request>[0]): Promise<number> {
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await request(app).get('/readyz').timeout(PATIENCE_MS)).status;
  }
  return status;
}

describe('When Redis stops answering (paused, its port still open)', () => {
  it('pages get the 503 page within a few seconds instead of hanging, and serve again once Redis resumes', async () => {
    const t = await startTestApp({ REDIS_URL: redis.url });
    try {
      const visitor = new Visitor(t.app);
      expect((await visitor.get('/login')).status).toBe(200);

      redis.pause();
      for (let i = 0; i < 2; i++) {
        const { res, ms } = await timed(() => visitor.agent.get('/login').set('Accept', 'text/html').timeout(PATIENCE_MS));
        expect(res.status).toBe(503);
        expect(res.text).toContain('The service is briefly unavailable');
        expect(ms).toBeLessThan(A_FEW_SECONDS);
      }
      const ready = await timed(() => request(t.app).get('/readyz').timeout(PATIENCE_MS));
      expect(ready.res.status).toBe(503);
      expect(ready.res.body.checks.redis).toBe('unavailable');

      redis.resume();
      expect(await readyAgain(t.app)).toBe(200);
      expect((await visitor.get('/login')).status).toBe(200);
    } finally {
      redis.resume();
      await t.close();
    }
  });

  it('a Redis that accepts connections but never answers is reported at start, and readiness says 503 meanwhile', async () => {
    redis.pause();
    const logs = captureLogs();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', BCRYPT_COST: '4', REDIS_URL: redis.url });
    const deps = await createDeps(config, { embeddedInMemory: true, logger: logs.logger, breached: { has: () => false, size: 0 } });
    const { app } = createApp(deps);
    try {
      const ready = await timed(() => request(app).get('/readyz').timeout(PATIENCE_MS));
      expect(ready.res.status).toBe(503);
      expect(ready.res.body.checks).toEqual({ database: 'ok', redis: 'unavailable' });
      const page = await timed(() => request(app).get('/login').set('Accept', 'text/html').timeout(PATIENCE_MS));
      expect(page.res.status).toBe(503);
      expect(page.ms).toBeLessThan(A_FEW_SECONDS);
      for (let i = 0; i < A_FEW_SECONDS / 100 && !logs.text().includes('did not answer within'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(logs.text()).toMatch(/redis accepted the connection but did not answer within \d+ ms/);

      redis.resume();
      expect(await readyAgain(app)).toBe(200);
    } finally {
      redis.resume();
      await closeDeps(deps);
    }
  });
});
