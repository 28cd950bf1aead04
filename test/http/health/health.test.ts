import request from 'supertest';
import { describeApp } from '../../helpers/app';

const t = describeApp();

describe('Health endpoints for load balancers and orchestrators', () => {
  it('/healthz says the process is up', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz checks every back-end', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.database).toBe('ok');
    if (t.config.redisUrl) expect(res.body.checks.redis).toBe('ok');
  });

  it('neither creates a session', async () => {
    for (const path of ['/healthz', '/readyz']) expect((await request(t.app).get(path)).headers['set-cookie']).toBeUndefined();
  });
});
