import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, csrfTokenIn } from './client';
import { closedLoop, type LoadResult } from './load';
import { BENCH_PASSWORD, removeRedisKeys, seedAccounts } from './seed';
import { freePort, REDIS_URL, SERVICE_ARGS, serviceEnv, startService, throwAwayDatabase, type Service } from './services';

export const PAGE = '/profile/account';

export interface SignedInSide {
  service: Service;
  /** One signed-in browser per client. */
  browsers: Browser[];
  /** One round of GET PAGE by every client for `durationMs`. */
  round(durationMs: number): Promise<LoadResult>;
}

function pageRound(browsers: Browser[], durationMs: number, cookie?: (b: Browser) => void): Promise<LoadResult> {
  return closedLoop({
    concurrency: browsers.length,
    durationMs,
    iteration: async (client) => {
      const browser = browsers[client] as Browser;
      cookie?.(browser);
      const res = await browser.request('GET', PAGE);
      if (res.status !== 200) throw new Error(`${PAGE} answered ${res.status}`);
    },
  });
}

/**
 * The built service on a throw-away PostgreSQL database and Redis, with `clients` accounts
 * each signed in through the sign-in form by its own browser. `nodeArgs` go before the
 * script (e.g. --cpu-prof); `extra` settings on top of the benchmark's production ones.
 */
export async function signedInService(clients: number, options: { extra?: Record<string, string>; nodeArgs?: string[] } = {}) {
  if (!fs.existsSync(SERVICE_ARGS[0] as string)) throw new Error('Build the service first: npm run build');
  const db = await throwAwayDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-'));
  const port = await freePort();
  const env = serviceEnv({ databaseUrl: db.url, port, dataDir, extra: { BCRYPT_COST: '4', ...options.extra } });
  const service = await startService([...(options.nodeArgs ?? []), ...SERVICE_ARGS], env, { port, name: 'page' });
  const browsers = Array.from({ length: clients }, () => new Browser(port));
  const { ids } = await seedAccounts(env, clients);
  for (const [i, browser] of browsers.entries()) {
    const form = await browser.request('GET', '/login');
    const res = await browser.request('POST', '/login', { _csrf: csrfTokenIn(form.body), identifier: `bench${i}`, password: BENCH_PASSWORD });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  }
  const side: SignedInSide = { service, browsers, round: (ms) => pageRound(browsers, ms) };
  return {
    ...side,
    env,
    ids,
    databaseUrl: db.url,
    async stop() {
      for (const browser of browsers) browser.close();
      await service.stop();
      await removeRedisKeys(REDIS_URL, env.REDIS_KEY_PREFIX as string);
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The floor app (bench/floor-app.ts) on the same database and Redis, rendering `html` with
 * the person's names as variables; each browser gets a session there for its account.
 */
export async function floorApp(html: string, user: { username: string; email: string; firstName: string; lastName: string }, context: { databaseUrl: string; ids: string[]; secret: string; prefix: string; nodeArgs?: string[] }) {
  const template = ['email', 'username', 'lastName', 'firstName'].reduce(
    (text, field) => text.replaceAll(user[field as keyof typeof user], `<%= user.${field === 'firstName' ? 'first_name' : field === 'lastName' ? 'last_name' : field} %>`),
    html.replaceAll('<%', '<%%'),
  );
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-floor-')), 'page.ejs');
  fs.writeFileSync(file, template);
  const port = await freePort();
  const env = { NODE_ENV: 'production', DATABASE_URL: context.databaseUrl, REDIS_URL, FLOOR_PREFIX: `${context.prefix}floor:`, SESSION_SECRET: context.secret, FLOOR_TEMPLATE: file };
  const service = await startService([...(context.nodeArgs ?? []), '--import', 'tsx', path.join(__dirname, '..', 'floor-app.ts')], env, { port, name: 'floor' });
  const browsers = context.ids.map(() => new Browser(port));
  for (const [i, browser] of browsers.entries()) {
    const res = await browser.request('POST', '/floor/sign-in', { userId: context.ids[i] as string });
    if (res.status !== 204) throw new Error(`floor sign-in answered ${res.status}`);
  }
  const side: SignedInSide = { service, browsers, round: (ms) => pageRound(browsers, ms) };
  return {
    ...side,
    async stop() {
      for (const browser of browsers) browser.close();
      await service.stop();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}
