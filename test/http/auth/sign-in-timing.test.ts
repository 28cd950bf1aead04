import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';

// A realistic bcrypt cost, so that the hash dominates a sign-in and skipping it would show.
const t = describeApp({ BCRYPT_COST: '10', TRUST_PROXY: 'true' });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('A failed sign-in', () => {
  it('takes as long for an unknown account as for a wrong password (a dummy hash is compared)', async () => {
    const user = await createUser(t);
    const gaps: number[] = [];
    for (let i = 0; i < 24; i++) {
      const took: number[] = [];
      for (const identifier of [user.username, `nobody${i}`]) {
        const visitor = new Visitor(t.app);
        await visitor.get('/login');
        // The failure a known account records after its answer would otherwise slow the next attempt.
        await t.deps.background.drain();
        const started = process.hrtime.bigint();
        const res = await visitor.agent
          .post('/login')
          .set('X-Forwarded-For', `198.51.100.${i}`)
          .type('form')
          .send({ _csrf: visitor.csrf(), identifier, password: `wrong guess number ${i}` });
        took.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(res.status).toBe(422);
      }
      const [known, unknown] = took as [number, number];
      // Each pair ran back to back, so a busy machine slows both of it alike.
      gaps.push(Math.abs(known - unknown) / Math.max(known, unknown));
    }
    expect(median(gaps)).toBeLessThan(0.35);
  });
});
