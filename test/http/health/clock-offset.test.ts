import request from 'supertest';
import { describeApp } from '../../helpers/app';

const t = describeApp();

/** The database runs on the real clock; the app's clock is the settable one. */
const appClockOffBy = (ms: number) => t.clock.set(new Date(Date.now() + ms));

describe('/readyz and the server clock (authenticator codes depend on it)', () => {
  it('says nothing about the clock while the server and the database agree within one 30-second step', async () => {
    for (const offset of [0, 20_000, -20_000]) {
      appClockOffBy(offset);
      const res = await request(t.app).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body.clock).toBeUndefined();
    }
  });

  it('reports the offset in seconds when the server clock is behind the database clock, and stays ready', async () => {
    appClockOffBy(-45_000);
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.clock.status).toBe('skewed');
    expect(res.body.clock.offset_seconds).toBeGreaterThanOrEqual(-47);
    expect(res.body.clock.offset_seconds).toBeLessThanOrEqual(-43);
  });

  it('reports the offset in seconds when the server clock is ahead of the database clock', async () => {
    appClockOffBy(90_000);
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.clock.status).toBe('skewed');
    expect(res.body.clock.offset_seconds).toBeGreaterThanOrEqual(88);
    expect(res.body.clock.offset_seconds).toBeLessThanOrEqual(92);
  });
});
