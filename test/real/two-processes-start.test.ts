import { HttpBrowser } from '../helpers/http-browser';
import { linkIn } from '../helpers/mail-catcher';
import { stop } from '../helpers/server-process';
import { startServerPair, type ServerPair } from '../helpers/server-pair';

// Two server processes migrating one database on a busy machine: minutes at worst.
jest.setTimeout(400_000);

const NEW_PASSWORD = 'harbour lantern quartz 52';

let pair: ServerPair;
beforeAll(async () => {
  pair = await startServerPair({ LOG_LEVEL: 'info' }, { unmigrated: true });
});
afterAll(async () => {
  await pair?.close();
});

describe('Two app processes started at the same moment on a new database', () => {
  it('both come up, one of them having migrated it, and serve the same accounts', async () => {
    expect(pair.both.filter((app) => app.process.log().includes('migrations applied'))).toHaveLength(1);
    const account = await pair.createAccount();
    for (const [from, to] of [
      [pair.a, pair.b],
      [pair.b, pair.a],
    ] as const) {
      const browser = new HttpBrowser();
      expect((await browser.submit(from, '/login', { identifier: account.username, password: account.password })).status).toBe(303);
      expect((await browser.get(to, '/profile/account')).status).toBe(200);
    }
  });

  it('keep every session when one of them stops: the other serves them and sends the mail the stopped one had queued', async () => {
    const account = await pair.createAccount();
    const browser = new HttpBrowser();
    expect((await browser.submit(pair.a, '/login', { identifier: account.username, password: account.password })).status).toBe(303);
    expect((await new HttpBrowser().submit(pair.a, '/forgot-password', { email: account.email })).status).toBe(200);
    expect(await stop(pair.a.process)).toBe(0);

    expect((await browser.get(pair.b, '/profile/account')).status).toBe(200);
    const resets = () => pair.mail.to(account.email).filter((m) => m.subject === 'Reset your Atrium password');
    for (let i = 0; i < 150 && resets().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    // Two more polls of the remaining worker: time enough for a second copy to arrive.
    await new Promise((r) => setTimeout(r, 4_500));
    expect(resets()).toHaveLength(1);
    const link = new URL(linkIn(resets()[0] as (typeof pair.mail.messages)[number], `${pair.baseUrl}/reset-password/`)).pathname;
    expect((await new HttpBrowser().submit(pair.b, link, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).status).toBe(303);
    expect((await browser.get(pair.b, '/profile/account')).status).toBe(303);
  });
});
