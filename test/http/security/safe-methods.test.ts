import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { concretePath, liveRoutes } from '../../helpers/route-list';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
/** Bookkeeping, not a change anyone asked for: the session store, rate-limit counters, and when a credential was last used. */
const BOOKKEEPING_TABLES = ['sessions', 'ended_sessions', 'rate_limits'];
const BOOKKEEPING_COLUMN = /^last_used/;

const t = describeApp({ BASE_URL: 'http://accounts.example.com' }, { mail: true });

/** Every row of every table of the application, bookkeeping left out. */
async function database(): Promise<string> {
  await t.deps.background.drain();
  const tables: string[] = await t.deps.db('information_schema.tables').whereRaw('table_schema = current_schema()').whereNot('table_name', 'like', 'knex_%').orderBy('table_name').pluck('table_name');
  expect(tables).toEqual(expect.arrayContaining(['users', 'one_time_tokens', 'security_events', 'mail_outbox']));
  const contents: Record<string, unknown[]> = {};
  for (const table of tables.filter((name) => !BOOKKEEPING_TABLES.includes(name))) {
    const rows = (await t.deps.db(table).orderByRaw('1')) as Array<Record<string, unknown>>;
    contents[table] = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !BOOKKEEPING_COLUMN.test(column))));
  }
  return JSON.stringify(contents);
}

describe('Safe methods', () => {
  it('change nothing: no GET, HEAD or OPTIONS on any route writes to the database, for a visitor, a signed-in person or an API client', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await t.services.apiTokens.create(user, { name: 'reader', scope: 'write', expires: '30' }, ctx);
    await request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`);
    await new Visitor(t.app).submit('/forgot-password', { email: user.email });
    await t.deliverMail();
    const resetToken = new URL(linkIn(t.mail.last(user.email), 'http://accounts.example.com/reset-password/')).pathname.split('/').pop() as string;

    const before = await database();
    const routes = liveRoutes(t.app).filter((route) => route.method === 'GET');
    expect(routes.length).toBeGreaterThan(30);
    let requests = 0;
    for (const route of routes) {
      const path = concretePath(route.path, { username: user.username, token: resetToken });
      await request(t.app).get(path).set('Accept', 'text/html');
      await visitor.get(path);
      await visitor.agent.head(path);
      await request(t.app).options(path);
      if (path.startsWith('/api/v1/')) await request(t.app).get(path).set('Authorization', `Bearer ${secret}`);
      requests += 4;
    }
    expect(requests).toBeGreaterThan(120);
    expect(await database()).toBe(before);
    // The reset link was opened many times and still works: opening is not using.
    const page = await new Visitor(t.app).get(`/reset-password/${resetToken}`);
    expect(page.status).toBe(200);
  });
});
