import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { captureLogs } from '../../helpers/log-capture';
import { linkIn } from '../../helpers/mail-catcher';

const logs = captureLogs();
const t = describeApp({ TRUST_PROXY: 'true' }, { logger: logs.logger, mail: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timedRequest(email: string, ip: string) {
  const visitor = new Visitor(t.app);
  await visitor.get('/forgot-password');
  // The previous request's background write must not land inside this one's timing: on the
  // embedded database it would queue this request behind it and measure the neighbour.
  await t.deps.background.drain();
  const started = process.hrtime.bigint();
  const res = await visitor.agent.post('/forgot-password').set('X-Forwarded-For', ip).type('form').send({ _csrf: visitor.csrf(), email });
  return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

describe('Forgot password does not reveal which addresses have accounts', () => {
  it('same status, same page and, over many requests, the same time', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => createUser(t)));
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < users.length; i++) {
      const askKnown = () => timedRequest((users[i] as { email: string }).email, `198.51.100.${i}`);
      const askUnknown = () => timedRequest(`nobody${i}@example.com`, `198.51.101.${i}`);
      // Alternating which goes first cancels any advantage of going first in a pair.
      let a, b;
      if (i % 2 === 0) {
        a = await askKnown();
        b = await askUnknown();
      } else {
        b = await askUnknown();
        a = await askKnown();
      }
      expect(a.res.status).toBe(200);
      expect(b.res.status).toBe(200);
      expect(a.res.text.replace(/[\w.+-]+@example\.com/g, 'X').replace(/value="[^"]*"/g, '')).toBe(b.res.text.replace(/[\w.+-]+@example\.com/g, 'X').replace(/value="[^"]*"/g, ''));
      known.push(a.ms);
      unknown.push(b.ms);
    }
    const [k, u] = [median(known), median(unknown)];
    // Both cases do the same work (one lookup, one transaction writing to the outbox).
    expect(Math.abs(k - u)).toBeLessThan(Math.max(3, 0.35 * Math.max(k, u)));
  });

  it('keeps reset tokens out of the logs', async () => {
    const user = await createUser(t);
    await timedRequest(user.email, '192.0.2.77');
    await t.deliverMail();
    const link = new URL(linkIn(t.mail.last(user.email), 'http://localhost:3000/reset-password/'));
    const token = link.pathname.split('/').pop() as string;
    await new Visitor(t.app).get(link.pathname);
    const log = logs.text();
    expect(log).toContain('/reset-password/[redacted]');
    expect(log).not.toContain(token);
  });
});
