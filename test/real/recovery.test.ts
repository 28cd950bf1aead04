import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { closeDeps, createDeps } from '../../src/deps';
import { startTestApp } from '../helpers/app';
import { Visitor } from '../helpers/browser-agent';
import { TcpProxy } from '../helpers/tcp-proxy';

/** Runs only against real servers: the connections are cut and restored through a relay. */
describe('Recovering when PostgreSQL and Redis come back', () => {
  it('serves again, with the same sessions, once PostgreSQL and Redis return', async () => {
    const pgUrl = new URL(process.env.TEST_DATABASE_URL as string);
    const redisUrl = new URL(process.env.TEST_REDIS_URL as string);
    const pgProxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    const redisProxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await pgProxy.start();
    await redisProxy.start();
    const direct = await startTestApp();
    const proxiedDb = new URL(direct.config.databaseUrl as string);
    proxiedDb.port = String(pgProxy.port);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: proxiedDb.href, REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, REDIS_KEY_PREFIX: direct.config.redisKeyPrefix });
    const deps = await createDeps(config, { skipMigrations: true, breached: { has: () => false, size: 0 } });
    const { app } = createApp(deps);
    try {
      for (let i = 0; i < 50 && !deps.redis?.isReady; i++) await new Promise((r) => setTimeout(r, 50));
      const visitor = new Visitor(app);
      expect((await visitor.get('/login')).status).toBe(200);

      await pgProxy.stop();
      await redisProxy.stop();
      expect((await visitor.get('/login')).status).toBe(503);
      expect((await request(app).get('/readyz')).status).toBe(503);

      await pgProxy.start();
      await redisProxy.start();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await request(app).get('/readyz')).status;
      }
      expect(status).toBe(200);
      expect((await visitor.get('/login')).status).toBe(200);
    } finally {
      await closeDeps(deps);
      await direct.close();
      await pgProxy.stop();
      await redisProxy.stop();
    }
  });
});
