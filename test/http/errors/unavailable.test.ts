import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { closeDeps, createDeps, type Deps } from '../../../src/deps';
import { closedPort } from '../../helpers/tcp-proxy';

const quiet = { NODE_ENV: 'test', LOG_LEVEL: 'silent', BCRYPT_COST: '4' } as const;
const noBreaches = { has: () => false, size: 0 };

async function appOn(env: Record<string, string>, embedded: boolean) {
  const deps: Deps = await createDeps(loadConfig({ ...quiet, ...env }), { skipMigrations: !embedded, embeddedInMemory: embedded, breached: noBreaches });
  return { deps, app: createApp(deps).app };
}

describe('When a back-end cannot be reached', () => {
  it('PostgreSQL down: pages say so with a 503, readiness reports it, liveness stays up', async () => {
    const { deps, app } = await appOn({ DATABASE_URL: `postgres://x@127.0.0.1:${await closedPort()}/none` }, false);
    try {
      const page = await request(app).get('/login').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('The service is briefly unavailable');
      expect(page.headers['retry-after']).toBe('5');
      const json = await request(app).get('/login').set('Accept', 'application/json');
      expect(json.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
      expect((await request(app).get('/readyz')).body).toMatchObject({ status: 'unavailable', checks: { database: 'unavailable' } });
      expect((await request(app).get('/healthz')).status).toBe(200);
    } finally {
      await closeDeps(deps);
    }
  });

  it('Redis down: signed-out and signed-in pages answer 503 instead of hanging', async () => {
    const { deps, app } = await appOn({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }, true);
    try {
      const page = await request(app).get('/login').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('The service is briefly unavailable');
      expect((await request(app).get('/readyz')).body).toMatchObject({ checks: { database: 'ok', redis: 'unavailable' } });
    } finally {
      await closeDeps(deps);
    }
  });
});
