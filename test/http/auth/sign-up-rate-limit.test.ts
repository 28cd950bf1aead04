import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { GOOD_PASSWORD } from '../../helpers/factories';

const t = describeApp({ TRUST_PROXY: '1' });

/** One sign-up form sent from `ip`, its passwords not matching (so no account is made either way). */
async function attempt(ip: string, n: number) {
  const agent = request.agent(t.app);
  const page = await agent.get('/signup').set('X-Forwarded-For', ip).set('Accept', 'text/html');
  return agent
    .post('/signup')
    .set('X-Forwarded-For', ip)
    .set('Accept', 'text/html')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), first_name: 'Bot', last_name: 'Net', email: `bot${n}@example.com`, username: `bot${n}`, password: GOOD_PASSWORD, password_confirm: `${GOOD_PASSWORD}!` });
}

describe('Signing up', () => {
  it('is limited to 20 forms an hour from one address, with a page that says when to try again; other addresses go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await attempt('203.0.113.9', i)).status);
    expect(statuses.every((status) => status === 422)).toBe(true);
    const limited = await attempt('203.0.113.9', 20);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(limited.text).toContain('Too many attempts');
    expect((await attempt('203.0.113.10', 99)).status).toBe(422);
    expect(Number((await t.deps.db('users').count({ n: '*' }).first())?.n)).toBe(0);
  });
});
