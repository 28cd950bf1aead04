import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser } from '../../helpers/factories';

const t = describeApp({ TRUST_PROXY: 'true', SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '5', BCRYPT_COST: '8' });

/** A guesser's browser with the sign-in form open, ready to post. */
async function formOpen(ip: string): Promise<{ visitor: Visitor; token: string }> {
  const visitor = new Visitor(t.app);
  const page = await visitor.agent.get('/login').set('X-Forwarded-For', ip);
  return { visitor, token: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string };
}

describe('Guessing passwords many at a time', () => {
  it('checks no more guesses sent at the same moment than the limit allows one after another', async () => {
    const user = await createUser(t);
    const forms = await Promise.all(Array.from({ length: 12 }, () => formOpen('203.0.113.30')));
    const answers = await atOnce(forms.length, (i) => {
      const { visitor, token } = forms[i] as { visitor: Visitor; token: string };
      return visitor.agent.post('/login').set('X-Forwarded-For', '203.0.113.30').set('Accept', 'text/html').type('form').send({ _csrf: token, identifier: user.username, password: `simultaneous guess ${i}` });
    });
    expect(countStatus(answers, 422)).toBe(5);
    expect(countStatus(answers, 429)).toBe(7);
  });

  it('still lets the owner in from a browser of their own after a burst of guesses from elsewhere', async () => {
    const user = await createUser(t);
    const forms = await Promise.all(Array.from({ length: 8 }, () => formOpen('198.51.100.30')));
    await atOnce(forms.length, (i) => {
      const { visitor, token } = forms[i] as { visitor: Visitor; token: string };
      return visitor.agent.post('/login').set('X-Forwarded-For', '198.51.100.30').type('form').send({ _csrf: token, identifier: user.username, password: `burst guess ${i}` });
    });
    const owner = await formOpen('192.0.2.30');
    const res = await owner.visitor.agent.post('/login').set('X-Forwarded-For', '192.0.2.30').type('form').send({ _csrf: owner.token, identifier: user.username, password: user.password });
    expect(res.status).toBe(303);
  });
});
