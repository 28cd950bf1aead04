import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';

const t = describeApp({ TRUST_PROXY: 'true', SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '5', SIGNIN_FAILURES_PER_ACCOUNT: '12' });

async function attempt(identifier: string, password: string, ip: string) {
  const visitor = new Visitor(t.app);
  const page = await visitor.agent.get('/login').set('X-Forwarded-For', ip);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
  return visitor.agent.post('/login').set('X-Forwarded-For', ip).set('Accept', 'text/html').type('form').send({ _csrf: token, identifier, password });
}

describe('Guessing passwords', () => {
  it('is stopped for one address after a few failures, with a page that says when to try again', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) expect((await attempt(user.username, 'wrong password one', '203.0.113.5')).status).toBe(422);
    const blocked = await attempt(user.username, 'wrong password one', '203.0.113.5');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
    expect(blocked.text).toContain('Too many attempts');
    expect(blocked.text).toMatch(/You can try again in \d+ minutes/);
    // Even the right password waits: the block is on the attempt, not on the result.
    expect((await attempt(user.username, user.password, '203.0.113.5')).status).toBe(429);
  });

  it('does not lock the owner out from their own address when someone else guesses', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 6; i++) await attempt(user.username, 'attacker guess', '198.51.100.7');
    const owner = await attempt(user.username, user.password, '192.0.2.10');
    expect(owner.status).toBe(303);
  });

  it('counts unknown accounts like known ones, so the limit reveals nothing', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('ghost-account', 'whatever guess', '203.0.113.9')).status).toBe(422);
    expect((await attempt('ghost-account', 'whatever guess', '203.0.113.9')).status).toBe(429);
  });

  it('slows guessing spread over many addresses, for a limited time only', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 12; i++) await attempt(user.username, 'distributed guess', `198.18.0.${i + 1}`);
    const res = await attempt(user.username, 'distributed guess', '198.18.1.1');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
  });

  it('answers JSON clients with the error object', async () => {
    for (let i = 0; i < 5; i++) await attempt('json-client', 'guess guess guess', '203.0.113.77');
    const visitor = new Visitor(t.app);
    const page = await visitor.agent.get('/login').set('X-Forwarded-For', '203.0.113.77');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const res = await visitor.agent
      .post('/login')
      .set('X-Forwarded-For', '203.0.113.77')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: token, identifier: 'json-client', password: 'guess guess guess' });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('Too many attempts') } });
  });

  it('answers for the email address of a username under its limit exactly as for an address no account has', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) await attempt(user.username, 'username guess', '203.0.113.88');
    expect((await attempt(user.username, 'username guess', '203.0.113.88')).status).toBe(429);
    const unknownEmail = `nobody-${user.username}@example.com`;
    const known = await attempt(user.email, 'email guess', '203.0.113.88');
    const unknown = await attempt(unknownEmail, 'email guess', '203.0.113.88');
    expect(answerShape(known, user.email)).toEqual(answerShape(unknown, unknownEmail));
    expect(known.status).toBe(422);
  });
});

/** What a visitor can compare between two answers: status, headers and body, without the typed identifier, tokens and the date. */
function answerShape(res: Awaited<ReturnType<typeof attempt>>, typed: string) {
  const varying = new Set(['date', 'set-cookie', 'content-length', 'etag']);
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !varying.has(name)));
  const body = res.text.split(typed).join('IDENTIFIER').replace(/value="[A-Za-z0-9_-]{20,}"/g, 'value="TOKEN"');
  return { status: res.status, headers, body };
}
