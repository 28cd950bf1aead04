import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { closeDeps, createDeps } from '../../src/deps';
import { Visitor } from '../helpers/browser-agent';
import { PrivatePostgres } from '../helpers/private-postgres';

/** A request that hangs fails the test after this long instead of holding it for a minute. */
const PATIENCE_MS = 20_000;
/**
 * With the default timeouts a page that meets a paused server is answered within about
 * 5.5 s (a statement given up after 3.5 s, then a connection attempt given up after 2 s);
 * this leaves room for a busy machine.
 */
const A_FEW_SECONDS = 8_000;

const postgres = new PrivatePostgres();
beforeAll(async () => postgres.start(), 120_000);
afterAll(async () => postgres.stop());

async function timed(run: () => Promise<request.Response>): Promise<{ res: request.Response; ms: number }> {
  const started = Date.now();
  const res = await run();
  return { res, ms: Date.now() - started };
}

/** Runs only where PostgreSQL's binaries are installed (the real back-end suites). */
describe('When PostgreSQL stops answering (paused, its port still open)', () => {
  it('pages get the 503 page within a few seconds instead of hanging, and serve again once it resumes', async () => {
    // Sessions in the database too, so that every page needs it.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', BCRYPT_COST: '4', DATABASE_URL: postgres.url });
    const deps = await createDeps(config, { breached: { has: () => false, size: 0 } });
    const { app } = createApp(deps);
    try {
      const visitor = new Visitor(app);
      expect((await visitor.get('/login')).status).toBe(200);

      postgres.pause();
      for (let i = 0; i < 2; i++) {
        const { res, ms } = await timed(() => visitor.agent.get('/login').set('Accept', 'text/html').timeout(PATIENCE_MS));
        expect(res.status).toBe(503);
        expect(res.text).toContain('The service is briefly unavailable');
        expect(ms).toBeLessThan(A_FEW_SECONDS);
      }
      expect((await request(app).get('/readyz').timeout(PATIENCE_MS)).body.checks.database).toBe('unavailable');

      postgres.resume();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await request(app).get('/readyz').timeout(PATIENCE_MS)).status;
      }
      expect(status).toBe(200);
      expect((await visitor.get('/login')).status).toBe(200);
    } finally {
      postgres.resume();
      await closeDeps(deps);
    }
  });
});
