import { USER_AGENTS } from '../helpers/browser-agent';
import { HttpBrowser } from '../helpers/http-browser';
import { startServerPair, type Account, type AppProcess, type ServerPair } from '../helpers/server-pair';

// Starting two server processes takes a while on a busy machine; the tests themselves are quick.
jest.setTimeout(300_000);

const NEW_PASSWORD = 'harbour lantern quartz 52';

async function signIn(on: AppProcess, account: Account, userAgent = USER_AGENTS.chromeWindows): Promise<HttpBrowser> {
  const browser = new HttpBrowser({ userAgent });
  const res = await browser.submit(on, '/login', { identifier: account.username, password: account.password });
  if (res.status !== 303) throw new Error(`Sign-in through ${on.name} answered ${res.status}`);
  return browser;
}

describe.each([
  ['one PostgreSQL and one Redis', {}],
  ['PostgreSQL alone (no Redis)', { withoutRedis: true }],
])('Two app processes behind a load balancer on %s', (_, options) => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startServerPair({ SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '5' }, options);
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('accepts on one process the sign-in form shown by the other', async () => {
    const account = await pair.createAccount();
    const browser = new HttpBrowser();
    await browser.get(pair.a, '/login');
    const res = await browser.post(pair.b, '/login', { _csrf: browser.csrf(), identifier: account.username, password: account.password });
    expect(res.status).toBe(303);
    expect((await browser.get(pair.a, '/profile/account')).status).toBe(200);
  });

  it.each([
    ['A', 'B'],
    ['B', 'A'],
  ])('keeps a session started through %s valid on %s', async (first, second) => {
    const [from, to] = [first, second].map((name) => (name === 'A' ? pair.a : pair.b)) as [AppProcess, AppProcess];
    const account = await pair.createAccount();
    const browser = await signIn(from, account);
    const page = await browser.get(to, '/profile/account');
    expect(page.status).toBe(200);
    expect(page.text).toContain(account.username);
    expect((await browser.get(from, '/profile/account')).status).toBe(200);
  });

  it('ends a session revoked on the Sessions tab of one process at its next request to the other', async () => {
    const account = await pair.createAccount();
    const phone = await signIn(pair.a, account, USER_AGENTS.iphoneSafari);
    const laptop = await signIn(pair.b, account, USER_AGENTS.firefoxLinuxArm);
    expect((await phone.get(pair.a, '/profile/account')).status).toBe(200);

    const tab = await laptop.get(pair.b, '/profile/sessions');
    const ids = [...tab.text.matchAll(/action="\/profile\/sessions\/([^/"]+)\/revoke"/g)].map((m) => m[1] as string);
    expect(ids).toHaveLength(1);
    const revoked = await laptop.post(pair.b, `/profile/sessions/${ids[0]}/revoke`, { _csrf: laptop.csrf() });
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe('/profile/sessions');

    const back = await phone.get(pair.a, '/profile/account');
    expect(back.status).toBe(303);
    expect(back.location).toBe('/login?next=%2Fprofile%2Faccount');
    expect((await phone.get(pair.a, '/login')).text).toContain('You were signed out from another device.');
    expect((await laptop.get(pair.a, '/profile/account')).status).toBe(200);
  });

  it('ends a session on one process at its next request after the password was changed through the other', async () => {
    const account = await pair.createAccount();
    const elsewhere = await signIn(pair.a, account, USER_AGENTS.iphoneSafari);
    const here = await signIn(pair.b, account);
    expect((await elsewhere.get(pair.a, '/profile/account')).status).toBe(200);

    const changed = await here.submit(pair.b, '/profile/password', { current_password: account.password, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(changed.status).toBe(303);

    const back = await elsewhere.get(pair.a, '/profile/account');
    expect(back.status).toBe(303);
    expect(back.location).toMatch(/^\/login/);
    const withPassword = (password: string) => new HttpBrowser().submit(pair.a, '/login', { identifier: account.username, password });
    expect((await withPassword(account.password)).status).toBe(422);
    expect((await withPassword(NEW_PASSWORD)).status).toBe(303);
  });

  it('counts failed sign-ins spread over both processes against one limit, the same total as on one process', async () => {
    const account = await pair.createAccount();
    const attempt = (on: AppProcess, password: string) => new HttpBrowser({ forwardedFor: '203.0.113.5' }).submit(on, '/login', { identifier: account.username, password });
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 === 0 ? pair.a : pair.b, 'wrong guess number one')).status).toBe(422);

    for (const on of pair.both) {
      const blocked = await attempt(on, 'wrong guess number one');
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain('Too many attempts');
      // The block is on the attempt, not on the result: the right password waits too.
      expect((await attempt(on, account.password)).status).toBe(429);
    }
    const owner = await new HttpBrowser({ forwardedFor: '192.0.2.10' }).submit(pair.b, '/login', { identifier: account.username, password: account.password });
    expect(owner.status).toBe(303);
  });

  it('lets no more guesses through than the limit when they arrive at both processes at the same moment', async () => {
    const account = await pair.createAccount();
    const guessers = Array.from({ length: 12 }, () => new HttpBrowser({ forwardedFor: '203.0.113.6' }));
    const origins = guessers.map((_, i) => (i % 2 === 0 ? pair.a : pair.b));
    await Promise.all(guessers.map((guesser, i) => guesser.get(origins[i] as AppProcess, '/login')));
    const answers = await Promise.all(guessers.map((guesser, i) => guesser.post(origins[i] as AppProcess, '/login', { _csrf: guesser.csrf(), identifier: account.username, password: `wrong guess ${i}` })));
    expect(answers.filter((res) => res.status === 422)).toHaveLength(5);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(7);
  });
});
