/**
 * The floor of a signed-in page (started by bench/page.ts): bare Express + express-session
 * with the same store (connect-redis on the same Redis), one read of the user by id from
 * the same PostgreSQL database through knex, and an EJS render of the service's own HTML
 * for that page (its bytes, with the person's names as the template's only variables).
 * Nothing else: no logging, headers, CSRF, i18n or activity tracking. Anything the
 * service spends beyond this is what bench/page.ts measures.
 */
import fs from 'node:fs';
import { RedisStore } from 'connect-redis';
import ejs from 'ejs';
import express from 'express';
import session from 'express-session';
import knexFactory from 'knex';
import { createClient } from 'redis';

declare module 'express-session' {
  interface SessionData {
    floorUserId?: string;
  }
}

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const redis = createClient({ url: env('REDIS_URL') });
  await redis.connect();
  const db = knexFactory({ client: 'pg', connection: env('DATABASE_URL'), pool: { min: 2, max: 10 } });
  const render = ejs.compile(fs.readFileSync(env('FLOOR_TEMPLATE'), 'utf8'));

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  app.use(session({ store: new RedisStore({ client: redis, prefix: env('FLOOR_PREFIX') }), secret: env('SESSION_SECRET'), resave: false, saveUninitialized: false, name: 'floor_sid' }));
  app.post('/floor/sign-in', express.urlencoded({ extended: false }), (req, res) => {
    req.session.floorUserId = String((req.body as { userId?: string }).userId);
    res.sendStatus(204);
  });
  app.get('/profile/account', async (req, res) => {
    const id = req.session.floorUserId;
    const user = id ? ((await db('users').where({ id }).first()) as Record<string, unknown> | undefined) : undefined;
    if (!user) {
      res.sendStatus(401);
      return;
    }
    res.type('html').send(render({ user }));
  });
  app.listen(Number(env('PORT')), '127.0.0.1');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
