// /users/<username>.keys stays public, but answers 404 for names no one has: each address may only ask so often.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import { rateLimits } from '../../../src/core/rate-limits';

const t = describeApp({ TRUST_PROXY: 'true' });

const authorizedKeys = (username: string, ip: string) => request(t.app).get(`/users/${username}.keys`).set('X-Forwarded-For', ip);

describe('The public authorized_keys files', () => {
  it('may be fetched a limited number of times per address, known names and unknown alike, then answer 429 with Retry-After', async () => {
    const { points, windowSeconds } = rateLimits(t.config).authorizedKeysIp;
    const user = await createUser(t);
    for (let i = 0; i < points; i++) {
      const res = await authorizedKeys(i % 2 === 0 ? user.username : `nobody${i}`, '203.0.113.40');
      expect(res.status).toBe(i % 2 === 0 ? 200 : 404);
    }
    const limited = await authorizedKeys(user.username, '203.0.113.40');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(windowSeconds - 60);
    expect(limited.text).toContain('Too many attempts');
    expect((await authorizedKeys('nobody-at-all', '203.0.113.40')).status).toBe(429);

    const elsewhere = await authorizedKeys(user.username, '203.0.113.41');
    expect(elsewhere.status).toBe(200);
  });

  it('count every address of an IPv6 /64 network as one', async () => {
    const { points } = rateLimits(t.config).authorizedKeysIp;
    const user = await createUser(t);
    for (let i = 0; i < points; i++) expect((await authorizedKeys(user.username, `2001:db8:77:1:${(i + 1).toString(16)}::1`)).status).toBe(200);
    expect((await authorizedKeys(user.username, '2001:db8:77:1:ffff:1:2:3')).status).toBe(429);
    expect((await authorizedKeys(user.username, '2001:db8:77:2::1')).status).toBe(200);
  });
});
