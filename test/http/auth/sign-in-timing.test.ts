import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';

// A realistic bcrypt cost, so that skipping the hash would show.
const t = describeApp({ BCRYPT_COST: '9', TRUST_PROXY: 'true' });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('A failed sign-in', () => {
  it('takes as long for an unknown account as for a wrong password (a dummy hash is compared)', async () => {
    const user = await createUser(t);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 24; i++) {
      for (const [identifier, times] of [[user.username, known], [`nobody${i}`, unknown]] as const) {
        const visitor = new Visitor(t.app);
        await visitor.get('/login');
        const started = process.hrtime.bigint();
        const res = await visitor.agent
          .post('/login')
          .set('X-Forwarded-For', `198.51.100.${i}`)
          .type('form')
          .send({ _csrf: visitor.csrf(), identifier, password: `wrong guess number ${i}` });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(res.status).toBe(422);
      }
    }
    const [k, u] = [median(known), median(unknown)];
    expect(Math.abs(k - u) / Math.max(k, u)).toBeLessThan(0.35);
  });
});
