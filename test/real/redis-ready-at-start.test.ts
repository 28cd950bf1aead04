import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { closeDeps, createDeps } from '../../src/deps';
import { deleteRedisKeys } from '../helpers/app';

const settings = { NODE_ENV: 'test', LOG_LEVEL: 'silent', BCRYPT_COST: '4', REDIS_URL: process.env.TEST_REDIS_URL as string, REDIS_KEY_PREFIX: `ready${Date.now()}:` };

describe('A service started beside a running Redis', () => {
  it('answers its very first request with Redis, not with a 503 from a connection still opening', async () => {
    const deps = await createDeps(loadConfig(settings), { embeddedInMemory: true, breached: { has: () => false, size: 0 } });
    try {
      expect(deps.redis?.isReady).toBe(true);
      const page = await request(createApp(deps).app).get('/login');
      expect(page.status).toBe(200);
    } finally {
      if (deps.redis?.isReady) await deleteRedisKeys(deps.redis, settings.REDIS_KEY_PREFIX);
      await closeDeps(deps);
    }
  });
});
