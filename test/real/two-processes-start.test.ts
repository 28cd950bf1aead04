import { HttpBrowser } from '../helpers/http-browser';
import { startServerPair, type ServerPair } from '../helpers/server-pair';

// Two server processes migrating one database on a busy machine: minutes at worst.
jest.setTimeout(400_000);

let pair: ServerPair | undefined;
afterAll(async () => {
  await pair?.close();
});

describe('Two app processes started at the same moment on a new database', () => {
  it('both come up, one of them having migrated it, and serve the same accounts', async () => {
    pair = await startServerPair({ LOG_LEVEL: 'info' }, { unmigrated: true });
    const migrated = pair.both.filter((app) => app.process.log().includes('migrations applied'));
    expect(migrated).toHaveLength(1);
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
});
